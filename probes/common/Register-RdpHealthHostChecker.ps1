#Requires -Version 5.1
<#
.SYNOPSIS
Registers (or with -Unregister removes) the host checker's scheduled task \RDP Health\Host Checker.

.DESCRIPTION
Run elevated by the installer (build/installer.nsh) after the files are in place, and by its
uninstaller with -Unregister. Uses the Task Scheduler 2.0 scripting objects (Schedule.Service:
TaskService.NewTask, TaskFolder.RegisterTaskDefinition), the documented way to give one task its own
security descriptor:
  - runs as SYSTEM (TASK_LOGON_SERVICE_ACCOUNT), highest run level, hidden, no window;
  - action: "<install folder>\RDP Health.exe" host-check, fixed here: the install folder is where this
    script is installed (resources\probes\common, under Program Files: only administrators can change
    it), never a parameter; the task defines no $(ArgN), so a caller cannot pass arguments;
  - triggers: at start-up, and every CheckIntervalMinutes (policy HKLM\SOFTWARE\Policies\RDP Health,
    5-1440, else 30) from now on, indefinitely;
  - MultipleInstances IgnoreNew (a request while a check runs is dropped), an execution time limit;
  - the task's descriptor grants SYSTEM and Administrators full control and BUILTIN\Users read and
    execute (GRGX): a standard user may run it now and read its state, nothing else; its folder grants
    Users read only.
Registering again replaces the task (TASK_CREATE_OR_UPDATE) and re-applies both descriptors.

.PARAMETER Unregister
Remove the task, and its folder when nothing else is in it. Nothing there is not an error.

.OUTPUTS
System.String. One line saying what was done. Exit code 0 done, 1 failed.

.EXAMPLE
.\Register-RdpHealthHostChecker.ps1
#>
[CmdletBinding()]
param([switch]$Unregister)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')

$script:FolderName = 'RDP Health'
$script:TaskName = 'Host Checker'
# By SID string (names are localized). GA = full control, GR = read, GX = execute (run on demand).
$script:TaskSddl = 'D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;BU)'
$script:FolderSddl = 'D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GR;;;BU)'
$script:PolicyPath = 'HKLM:\SOFTWARE\Policies\RDP Health'
$script:DefaultIntervalMinutes = 30
# Task Scheduler 2.0 constants (taskschd.h).
$script:TaskActionExec = 0
$script:TaskTriggerTime = 1
$script:TaskTriggerBoot = 8
$script:TaskCreateOrUpdate = 6
$script:TaskLogonServiceAccount = 5
$script:TaskRunLevelHighest = 1
$script:TaskInstancesIgnoreNew = 2

function Get-RdpCheckIntervalMinutes {
    <#
    .SYNOPSIS
    CheckIntervalMinutes from the administrator's policy when it is a DWORD in 5-1440, else 30.
    .OUTPUTS
    System.Int32
    #>
    [CmdletBinding()]
    param()
    if (-not (Test-Path -Path $script:PolicyPath)) { return $script:DefaultIntervalMinutes }
    $property = (Get-ItemProperty -Path $script:PolicyPath).PSObject.Properties['CheckIntervalMinutes']
    if ($null -eq $property -or -not ($property.Value -is [int] -or $property.Value -is [long])) { return $script:DefaultIntervalMinutes }
    $minutes = [long]$property.Value
    if ($minutes -lt 5 -or $minutes -gt 1440) { return $script:DefaultIntervalMinutes }
    [int]$minutes
}

function Get-RdpHostCheckerFolder {
    <#
    .SYNOPSIS
    The task folder \RDP Health, or $null when it does not exist (GetFolder throws for a missing path).
    .OUTPUTS
    The ITaskFolder, or $null.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Service)
    try { $Service.GetFolder("\$script:FolderName") } catch { $null }
}

function New-RdpHostCheckerDefinition {
    <#
    .SYNOPSIS
    The task definition: SYSTEM, the fixed action, start-up and interval triggers, the settings.
    .OUTPUTS
    The ITaskDefinition.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Service, [Parameter(Mandatory)][string]$ExePath, [Parameter(Mandatory)][int]$IntervalMinutes)
    $definition = $Service.NewTask(0)
    $definition.RegistrationInfo.Author = 'RDP Health'
    $definition.RegistrationInfo.Description = 'Checks that this computer can accept Remote Desktop connections, with full rights, and publishes the result for every user of RDP Health.'
    $definition.Principal.UserId = 'S-1-5-18'
    $definition.Principal.LogonType = $script:TaskLogonServiceAccount
    $definition.Principal.RunLevel = $script:TaskRunLevelHighest
    $settings = $definition.Settings
    $settings.Enabled = $true
    $settings.Hidden = $true
    $settings.MultipleInstances = $script:TaskInstancesIgnoreNew
    $settings.ExecutionTimeLimit = 'PT15M'
    $settings.StartWhenAvailable = $true
    $settings.DisallowStartIfOnBatteries = $false
    $settings.StopIfGoingOnBatteries = $false
    $interval = "PT$($IntervalMinutes)M"
    $boot = $definition.Triggers.Create($script:TaskTriggerBoot)
    $boot.Delay = 'PT1M'
    $boot.Repetition.Interval = $interval
    $every = $definition.Triggers.Create($script:TaskTriggerTime)
    $every.StartBoundary = (Get-Date).AddMinutes(1).ToString('yyyy-MM-ddTHH:mm:ss', [System.Globalization.CultureInfo]::InvariantCulture)
    $every.Repetition.Interval = $interval
    $action = $definition.Actions.Create($script:TaskActionExec)
    $action.Path = $ExePath
    $action.Arguments = 'host-check'
    $action.WorkingDirectory = Split-Path -Parent $ExePath
    $definition
}

try {
    # resources\probes\common -> the install folder, where the exe is (both under Program Files).
    $installFolder = Split-Path -Parent (Split-Path -Parent (Split-Path -Parent $PSScriptRoot))
    $exePath = $installFolder.TrimEnd('\', '/') + '\RDP Health.exe'
    if ($exePath.Contains('"')) { throw 'The install folder cannot be written into a task action safely.' }
    $service = New-Object -ComObject 'Schedule.Service'
    $service.Connect()
    $root = $service.GetFolder('\')
    $folder = Get-RdpHostCheckerFolder -Service $service
    if ($Unregister) {
        if ($null -eq $folder) { 'The host checker task is not registered.'; exit 0 }
        try { $folder.DeleteTask($script:TaskName, 0) } catch { Write-Verbose "No task to delete: $($_.Exception.Message)" }
        if (@($folder.GetTasks(1)).Count -eq 0 -and @($folder.GetFolders(0)).Count -eq 0) { $root.DeleteFolder($script:FolderName, 0) }
        "Unregistered \$script:FolderName\$script:TaskName."
        exit 0
    }
    if ($null -eq $folder) { $folder = $root.CreateFolder($script:FolderName, $script:FolderSddl) } else { $folder.SetSecurityDescriptor($script:FolderSddl, 0) }
    $minutes = Get-RdpCheckIntervalMinutes
    $definition = New-RdpHostCheckerDefinition -Service $service -ExePath $exePath -IntervalMinutes $minutes
    $null = $folder.RegisterTaskDefinition($script:TaskName, $definition, $script:TaskCreateOrUpdate, 'SYSTEM', $null, $script:TaskLogonServiceAccount, $script:TaskSddl)
    "Registered \$script:FolderName\$script:TaskName as SYSTEM: $exePath host-check at start-up and every $minutes minutes."
    exit 0
} catch {
    "The host checker task could not be $(if ($Unregister) { 'unregistered' } else { 'registered' }): $($_.Exception.Message)"
    exit 1
}
