# Follows: Microsoft Learn "Task Scheduler Scripting Objects" (TaskService, TaskFolder, TaskDefinition, RegisteredTask) and RegisterTaskDefinition's documented parameters.
# Task Scheduler shadow: the part of the Schedule.Service COM surface (Task Scheduler 2.0 scripting
# objects, Microsoft Learn "Task Scheduler Scripting Objects": TaskService, TaskFolder, TaskDefinition,
# RegistrationInfo, Principal, TaskSettings, TriggerCollection/Trigger/RepetitionPattern,
# ActionCollection/ExecAction, RegisteredTask) that probes/common/Register-RdpHealthHostChecker.ps1 uses.
# `New-Object -ComObject Schedule.Service` returns it while a simulated host is active (Acl.ps1's
# New-Object shadow calls New-SimTaskService). State: the scenario's `scheduledTasks` section,
#   { "\\RDP Health": { "sddl": "...", "tasks": { "Host Checker": { principal, actions, triggers,
#     settings, registrationInfo, sddl } } } }   (folder path -> folder; "\\" always exists)
# As on Windows: GetFolder on a missing path throws 0x80070002, CreateFolder on an existing one
# 0x800700B7, DeleteTask of a missing task 0x80070002, DeleteFolder of a folder with tasks 0x80070091;
# RegisterTaskDefinition with TASK_CREATE_OR_UPDATE (6) replaces a task, with TASK_CREATE (2) it
# throws 0x800700B7 for an existing one.

function Get-SimTaskFolders {
    <# The scheduledTasks section (created when absent), for changing it. #>
    param([Parameter(Mandatory)]$State)
    if (-not $State.Contains('scheduledTasks')) { $State['scheduledTasks'] = [ordered]@{} }
    $State['scheduledTasks']
}

function New-SimComError {
    <# The COMException Windows raises, with its HRESULT. #>
    param([Parameter(Mandatory)][string]$Message, [Parameter(Mandatory)][int]$HResult)
    [System.Runtime.InteropServices.COMException]::new(('{0} (Exception from HRESULT: 0x{1:X8})' -f $Message, $HResult), $HResult)
}

function New-SimTaskService {
    <# Shadow of the Schedule.Service object (ITaskService). #>
    $service = [PSCustomObject]@{ Connected = $false }
    $service | Add-Member -MemberType ScriptMethod -Name Connect -Value { $this.Connected = $true }
    $service | Add-Member -MemberType ScriptMethod -Name GetFolder -Value {
        param([string]$Path)
        if (-not $this.Connected) { throw (New-SimComError -Message 'The Task Scheduler service is not connected.' -HResult 0x80070005) }
        Invoke-SimFault -Command 'Schedule.Service'
        $normalized = '\' + $Path.Trim('\')
        if ($normalized -ne '\' -and -not (Get-SimSection -Key 'scheduledTasks').Contains($normalized)) {
            throw (New-SimComError -Message 'The system cannot find the file specified.' -HResult 0x80070002)
        }
        New-SimTaskFolder -Path $normalized
    }
    $service | Add-Member -MemberType ScriptMethod -Name NewTask -Value { param([int]$Flags) New-SimTaskDefinition }
    $service
}

function New-SimTaskFolder {
    <# Shadow of ITaskFolder at Path. #>
    param([Parameter(Mandatory)][string]$Path)
    $folder = [PSCustomObject]@{ Path = $Path; Name = ($Path.Trim('\')) }
    $folder | Add-Member -MemberType ScriptMethod -Name CreateFolder -Value {
        param([string]$Name, $Sddl)
        $state = Get-SimState
        $folders = Get-SimTaskFolders -State $state
        $path = ($this.Path.TrimEnd('\') + '\' + $Name.Trim('\'))
        if ($folders.Contains($path)) { throw (New-SimComError -Message 'Cannot create a file when that file already exists.' -HResult 0x800700B7) }
        $folders[$path] = [ordered]@{ sddl = [string]$Sddl; tasks = [ordered]@{} }
        Save-SimState -State $state
        New-SimTaskFolder -Path $path
    }
    $folder | Add-Member -MemberType ScriptMethod -Name DeleteFolder -Value {
        param([string]$Name, [int]$Flags)
        $state = Get-SimState
        $folders = Get-SimTaskFolders -State $state
        $path = ($this.Path.TrimEnd('\') + '\' + $Name.Trim('\'))
        if (-not $folders.Contains($path)) { throw (New-SimComError -Message 'The system cannot find the file specified.' -HResult 0x80070002) }
        if ($folders[$path]['tasks'].Count -gt 0) { throw (New-SimComError -Message 'The directory is not empty.' -HResult 0x80070091) }
        $folders.Remove($path)
        Save-SimState -State $state
    }
    $folder | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptor -Value {
        param([string]$Sddl, [int]$Flags)
        $state = Get-SimState
        (Get-SimTaskFolders -State $state)[$this.Path]['sddl'] = $Sddl
        Save-SimState -State $state
    }
    $folder | Add-Member -MemberType ScriptMethod -Name GetSecurityDescriptor -Value { param([int]$Info) [string](Get-SimSection -Key 'scheduledTasks', $this.Path, 'sddl') }
    $folder | Add-Member -MemberType ScriptMethod -Name GetFolders -Value {
        param([int]$Flags)
        $prefix = $this.Path.TrimEnd('\') + '\'
        @((Get-SimSection -Key 'scheduledTasks').Keys | Where-Object { $_.StartsWith($prefix) -and $_.Substring($prefix.Length) -notmatch '\\' } | ForEach-Object { New-SimTaskFolder -Path $_ })
    }
    $folder | Add-Member -MemberType ScriptMethod -Name GetTasks -Value {
        param([int]$Flags)
        $tasks = Get-SimSection -Key 'scheduledTasks', $this.Path, 'tasks'
        @($tasks.Keys | ForEach-Object { [PSCustomObject]@{ Name = $_; Path = ($this.Path.TrimEnd('\') + '\' + $_) } })
    }
    $folder | Add-Member -MemberType ScriptMethod -Name GetTask -Value {
        param([string]$Name)
        $tasks = Get-SimSection -Key 'scheduledTasks', $this.Path, 'tasks'
        if ($null -eq $tasks -or -not $tasks.Contains($Name)) { throw (New-SimComError -Message 'The system cannot find the file specified.' -HResult 0x80070002) }
        New-SimRegisteredTask -Folder $this.Path -Name $Name
    }
    $folder | Add-Member -MemberType ScriptMethod -Name DeleteTask -Value {
        param([string]$Name, [int]$Flags)
        $state = Get-SimState
        $entry = (Get-SimTaskFolders -State $state)[$this.Path]
        if ($null -eq $entry -or -not $entry['tasks'].Contains($Name)) { throw (New-SimComError -Message 'The system cannot find the file specified.' -HResult 0x80070002) }
        $entry['tasks'].Remove($Name)
        Save-SimState -State $state
    }
    $folder | Add-Member -MemberType ScriptMethod -Name RegisterTaskDefinition -Value {
        param([string]$Name, $Definition, [int]$Flags, $UserId, $Password, [int]$LogonType, $Sddl)
        Invoke-SimFault -Command 'RegisterTaskDefinition'
        $state = Get-SimState
        $folders = Get-SimTaskFolders -State $state
        if ($this.Path -ne '\' -and -not $folders.Contains($this.Path)) { throw (New-SimComError -Message 'The system cannot find the file specified.' -HResult 0x80070002) }
        if ($this.Path -eq '\' -and -not $folders.Contains('\')) { $folders['\'] = [ordered]@{ sddl = ''; tasks = [ordered]@{} } }
        $tasks = $folders[$this.Path]['tasks']
        if ($tasks.Contains($Name) -and ($Flags -band 4) -eq 0) { throw (New-SimComError -Message 'Cannot create a file when that file already exists.' -HResult 0x800700B7) }
        if ($Definition.Actions.Items.Count -eq 0) { throw (New-SimComError -Message 'The task XML is missing a required element or attribute. (Actions)' -HResult 0x80041319) }
        $principal = [ordered]@{ userId = [string]$Definition.Principal.UserId; logonType = [int]$Definition.Principal.LogonType; runLevel = [int]$Definition.Principal.RunLevel }
        # The call's user and logon type win over the definition's principal, as documented.
        if ($UserId) { $principal['userId'] = [string]$UserId }
        if ($LogonType) { $principal['logonType'] = $LogonType }
        $tasks[$Name] = [ordered]@{
            registrationInfo = [ordered]@{ author = [string]$Definition.RegistrationInfo.Author; description = [string]$Definition.RegistrationInfo.Description }
            principal        = $principal
            settings         = ConvertTo-SimTaskHash -Object $Definition.Settings
            triggers         = @($Definition.Triggers.Items | ForEach-Object { $t = ConvertTo-SimTaskHash -Object $_ -Except 'Repetition'; $t['repetition'] = ConvertTo-SimTaskHash -Object $_.Repetition; $t })
            actions          = @($Definition.Actions.Items | ForEach-Object { ConvertTo-SimTaskHash -Object $_ })
            sddl             = [string]$Sddl
        }
        Save-SimState -State $state
        [PSCustomObject]@{ Name = $Name; Path = ($this.Path.TrimEnd('\') + '\' + $Name); Enabled = $true }
    }
    $folder
}

function ConvertTo-SimTaskHash {
    <# The note properties of a shadow object as an ordered dictionary with camelCase keys. #>
    param([Parameter(Mandatory)]$Object, [string[]]$Except = @())
    $hash = [ordered]@{}
    foreach ($property in $Object.PSObject.Properties) {
        if ($property.MemberType -ne 'NoteProperty' -or $Except -contains $property.Name) { continue }
        $hash[$property.Name.Substring(0, 1).ToLowerInvariant() + $property.Name.Substring(1)] = $property.Value
    }
    $hash
}

function New-SimTaskCollection {
    <# A TriggerCollection or ActionCollection: Create(type) adds an item made by the factory. #>
    param([Parameter(Mandatory)][scriptblock]$Factory)
    $collection = [PSCustomObject]@{ Items = [System.Collections.ArrayList]::new(); Factory = $Factory }
    $collection | Add-Member -MemberType ScriptProperty -Name Count -Value { $this.Items.Count }
    $collection | Add-Member -MemberType ScriptMethod -Name Create -Value { param([int]$Type) $item = & $this.Factory $Type; $null = $this.Items.Add($item); $item }
    $collection
}

function New-SimTaskDefinition {
    <# Shadow of ITaskDefinition as NewTask(0) returns it (the documented defaults). #>
    [PSCustomObject]@{
        RegistrationInfo = [PSCustomObject]@{ Author = ''; Description = '' }
        Principal        = [PSCustomObject]@{ UserId = ''; LogonType = 0; RunLevel = 0 }
        Settings         = [PSCustomObject]@{
            Enabled = $true; Hidden = $false; MultipleInstances = 0; ExecutionTimeLimit = 'PT72H'; StartWhenAvailable = $false
            DisallowStartIfOnBatteries = $true; StopIfGoingOnBatteries = $true
        }
        Triggers         = New-SimTaskCollection -Factory {
            param($Type)
            [PSCustomObject]@{ Type = $Type; Enabled = $true; StartBoundary = ''; Delay = ''; Repetition = [PSCustomObject]@{ Interval = ''; Duration = ''; StopAtDurationEnd = $false } }
        }
        Actions          = New-SimTaskCollection -Factory {
            param($Type)
            if ($Type -ne 0) { throw (New-SimComError -Message 'The simulated Task Scheduler implements exec actions (TASK_ACTION_EXEC) only.' -HResult 0x80004001) }
            [PSCustomObject]@{ Type = $Type; Path = ''; Arguments = ''; WorkingDirectory = '' }
        }
    }
}

# SDDL aliases of the trustees a task's descriptor names, and the rights that let a caller run it
# (IRegisteredTask.Run needs execute access on the task: GA, GX, FA or FX).
$script:SimSddlAliases = @{ SY = 'S-1-5-18'; BA = 'S-1-5-32-544'; BU = 'S-1-5-32-545'; AU = 'S-1-5-11'; WD = 'S-1-1-0' }

function Test-SimTaskRunAllowed {
    <# Whether the simulated identity may run a task with this SDDL (Allow entries only; no descriptor: administrators only). #>
    param([string]$Sddl)
    $token = Get-SimToken
    if (-not $Sddl) { return $token.Enabled -contains 'S-1-5-32-544' }
    foreach ($ace in [regex]::Matches($Sddl, '\(A;[^;]*;([A-Z]+);[^;]*;[^;]*;([^)]+)\)')) {
        $trustee = $ace.Groups[2].Value
        $sid = if ($script:SimSddlAliases.ContainsKey($trustee)) { $script:SimSddlAliases[$trustee] } else { $trustee }
        if ($token.Enabled -contains $sid -and $ace.Groups[1].Value -match 'GA|GX|FA|FX') { return $true }
    }
    $false
}

function New-SimRegisteredTask {
    <# Shadow of IRegisteredTask: State (3 ready), LastRunTime, LastTaskResult, and Run, which records the run. #>
    param([Parameter(Mandatory)][string]$Folder, [Parameter(Mandatory)][string]$Name)
    $entry = Get-SimSection -Key 'scheduledTasks', $Folder, 'tasks', $Name
    $task = [PSCustomObject]@{
        Name = $Name; Path = ($Folder.TrimEnd('\') + '\' + $Name); State = 3; Enabled = $true
        LastRunTime = if ($entry.Contains('lastRunTime')) { [datetime]$entry['lastRunTime'] } else { [datetime]'1899-12-30' }
        LastTaskResult = if ($entry.Contains('lastTaskResult')) { [int]$entry['lastTaskResult'] } else { 0x41303 }
        Folder = $Folder
    }
    $task | Add-Member -MemberType ScriptMethod -Name Run -Value {
        param($Parameters)
        Invoke-SimFault -Command 'Run'
        $state = Get-SimState
        $registered = (Get-SimTaskFolders -State $state)[$this.Folder]['tasks'][$this.Name]
        if (-not (Test-SimTaskRunAllowed -Sddl ([string]$registered['sddl']))) { throw (New-SimComError -Message 'Access is denied.' -HResult 0x80070005) }
        # The simulated host runs nothing: a run is recorded, and it ends at once with success.
        $registered['runs'] = 1 + [int]$(if ($registered.Contains('runs')) { $registered['runs'] } else { 0 })
        $registered['lastRunTime'] = [datetime]::Now.ToString('o')
        $registered['lastTaskResult'] = 0
        $registered['lastRunParameters'] = $Parameters
        Save-SimState -State $state
        [PSCustomObject]@{ Name = $this.Name; State = 4 }
    }
    $task
}
