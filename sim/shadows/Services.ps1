# Follows: Microsoft Learn Win32_Service class, ServiceController (Get-Service) and Start-/Stop-/Restart-/Set-Service, with their real error messages.
# Service control shadows: Get-Service, Start-Service, Stop-Service, Restart-Service, Set-Service
# read and write the Win32_Service instances under cim."root/cimv2:Win32_Service" (State, StartMode,
# ProcessId, Started), so Get-CimInstance Win32_Service sees every change.
# Side effects, like Windows:
# - a service with running dependents stops only with -Force (UmRdpService depends on TermService);
#   Restart-Service -Force starts the dependents it stopped again;
# - starting a service starts what it depends on; a Disabled service does not start;
# - TermService gets a new process id when it starts and listens on RDP-Tcp's PortNumber (`tcp`),
#   unless fDenyTSConnections is 1 (policy or local) or another process already listens there;
# - a running TermService follows a change of fDenyTSConnections without a restart (Registry.ps1
#   calls Update-SimRdpDenyListener): it opens or closes its listener;
# - stopping TermService closes its sockets and ends every RDP session (`sessions`);
# - fault kind 'stop-pending' on "Stop-Service:<name>": the stop outlasts any deadline (see WaitForStatus).

$script:SimServiceClassKey = 'root/cimv2:Win32_Service'
$script:SimServiceDependencies = @{
    UmRdpService = @('TermService'); TermService = @('RpcSs'); SessionEnv = @('RpcSs'); MpsSvc = @('BFE'); CertPropSvc = @('RpcSs')
}
$script:SimServiceDisplayNames = @{
    TermService = 'Remote Desktop Services'; UmRdpService = 'Remote Desktop Services UserMode Port Redirector'
    SessionEnv = 'Remote Desktop Configuration'; CertPropSvc = 'Certificate Propagation'; KeyIso = 'CNG Key Isolation'
    CryptSvc = 'Cryptographic Services'; MpsSvc = 'Windows Defender Firewall'; BFE = 'Base Filtering Engine'
}
$script:SimStartTypes = @{ Auto = 'Automatic'; Manual = 'Manual'; Disabled = 'Disabled'; Boot = 'Boot'; System = 'System' }

function Get-SimServiceTable {
    <# The Win32_Service instances of a state, by name (created when the state has none). #>
    param([Parameter(Mandatory)]$State)
    if (-not $State.Contains('cim')) { $State['cim'] = [ordered]@{} }
    foreach ($key in @($State['cim'].Keys)) { if ($key -ieq $script:SimServiceClassKey) { return $State['cim'][$key] } }
    $State['cim'][$script:SimServiceClassKey] = [ordered]@{}
    $State['cim'][$script:SimServiceClassKey]
}

function Get-SimServiceDisplayName {
    param([string]$Name, $Service)
    if ($Service.Contains('DisplayName') -and $Service['DisplayName']) { return [string]$Service['DisplayName'] }
    if ($script:SimServiceDisplayNames.ContainsKey($Name)) { return $script:SimServiceDisplayNames[$Name] }
    $Name
}

function New-SimServiceObject {
    <# A ServiceController-shaped object: Status and StartType print as the .NET enum names. #>
    param([string]$Name, $Service)
    $state = [string]$Service['State']
    $status = switch ($state) { 'Start Pending' { 'StartPending' } 'Stop Pending' { 'StopPending' } 'Continue Pending' { 'ContinuePending' } 'Pause Pending' { 'PausePending' } default { $state } }
    $startMode = [string]$Service['StartMode']
    $object = [PSCustomObject][ordered]@{
        Name        = $Name
        ServiceName = $Name
        DisplayName = Get-SimServiceDisplayName -Name $Name -Service $Service
        Status      = $status
        StartType   = $(if ($script:SimStartTypes.ContainsKey($startMode)) { $script:SimStartTypes[$startMode] } else { $startMode })
        CanStop     = ($state -eq 'Running')
        MachineName = '.'
        ServiceType = 'Win32OwnProcess'
    }
    $object.PSObject.TypeNames.Insert(0, 'System.ServiceProcess.ServiceController')
    # ServiceController.WaitForStatus(status, timeout): no real waiting; a status not reached yet (a stop
    # still pending) outlasts the deadline: TimeoutException.
    $object | Add-Member -MemberType ScriptMethod -Name WaitForStatus -Value {
        param($desiredStatus, $timeout)
        $desired = [string]$desiredStatus
        $state = Get-SimState
        $table = Get-SimServiceTable -State $state
        $current = (New-SimServiceObject -Name $this.Name -Service $table[$this.Name]).Status
        if ($current -eq $desired) { return }
        throw [System.ServiceProcess.TimeoutException]::new('Time out has expired and the operation has not been completed.')
    }
    $object
}

function Get-SimServiceTarget {
    <# Service names selected by -Name / -DisplayName / -InputObject, writing not-found errors. #>
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, $Table)
    if ($Bound.ContainsKey('InputObject')) { return @($Bound['InputObject'] | ForEach-Object { $_.Name }) }
    $names = @()
    if ($Bound.ContainsKey('DisplayName')) {
        foreach ($wanted in $Bound['DisplayName']) {
            $hits = @($Table.Keys | Where-Object { (Get-SimServiceDisplayName -Name $_ -Service $Table[$_]) -like $wanted })
            if (-not $hits -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($wanted)) {
                $exception = [System.InvalidOperationException]::new("Cannot find any service with display name '$wanted'.")
                $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoServiceFoundForGivenDisplayName', 'ObjectNotFound', $wanted))
            }
            $names += $hits
        }
        return $names
    }
    $patterns = if ($Bound.ContainsKey('Name')) { $Bound['Name'] } else { @('*') }
    foreach ($wanted in $patterns) {
        $hits = @($Table.Keys | Where-Object { $_ -like $wanted })
        if (-not $hits -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($wanted)) {
            $exception = [System.InvalidOperationException]::new("Cannot find any service with service name '$wanted'.")
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoServiceFoundForGivenName', 'ObjectNotFound', $wanted))
        }
        $names += $hits
    }
    $names
}

function Get-SimRdpEffectiveDeny {
    <# fDenyTSConnections as Windows applies it: the policy value if set, else the local one. #>
    param($State)
    $registry = $State['registry']
    foreach ($path in 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services', 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server') {
        foreach ($key in @($registry.Keys)) {
            if ($key -ieq $path -and $registry[$key] -is [System.Collections.IDictionary] -and $registry[$key].Contains('fDenyTSConnections')) {
                return [int]$registry[$key]['fDenyTSConnections']
            }
        }
    }
    0
}

function Get-SimRdpPort {
    param($State)
    $registry = $State['registry']
    foreach ($key in @($registry.Keys)) {
        if ($key -ieq 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -and $registry[$key].Contains('PortNumber')) {
            return [int]$registry[$key]['PortNumber']
        }
    }
    3389
}

function Start-SimTermServiceListener {
    <# TermService has started with a new pid: it listens on the configured port if it can. #>
    param($State, [int]$ProcessId)
    if (-not $State.Contains('tcp')) { $State['tcp'] = [ordered]@{} }
    if (-not $State.Contains('processes')) { $State['processes'] = [ordered]@{} }
    $State['processes']["$ProcessId"] = [ordered]@{ Id = $ProcessId; ProcessName = 'svchost' }
    Open-SimRdpListenSocket -State $State -ProcessId $ProcessId
}

function Open-SimRdpListenSocket {
    <# TermService (running as the pid) opens its listener on the configured port, unless connections are denied or the port is taken. #>
    param($State, [int]$ProcessId)
    if (-not $State.Contains('tcp')) { $State['tcp'] = [ordered]@{} }
    if ((Get-SimRdpEffectiveDeny -State $State) -eq 1) { return }
    $port = Get-SimRdpPort -State $State
    foreach ($key in @($State['tcp'].Keys)) {
        $entry = $State['tcp'][$key]
        if ([int]$entry['LocalPort'] -eq $port -and [string]$entry['State'] -eq 'Listen') { return }
    }
    $State['tcp']["0.0.0.0:$port"] = [ordered]@{ LocalAddress = '0.0.0.0'; LocalPort = $port; RemoteAddress = '0.0.0.0'; RemotePort = 0; State = 'Listen'; OwningProcess = $ProcessId }
    $State['tcp'][":::$port"] = [ordered]@{ LocalAddress = '::'; LocalPort = $port; RemoteAddress = '::'; RemotePort = 0; State = 'Listen'; OwningProcess = $ProcessId }
}

function Update-SimRdpDenyListener {
    <#
    fDenyTSConnections changed (Registry.ps1 calls this): a running TermService follows it without a
    restart, as on Windows - it opens its listener when connections are allowed again and closes it
    when they are denied (sessions already open stay).
    #>
    param($State)
    $table = Get-SimServiceTable -State $State
    $stored = Find-SimStateKey -Table $table -Name 'TermService'
    if ($null -eq $stored -or [string]$table[$stored]['State'] -ne 'Running') { return }
    $processId = [int]$table[$stored]['ProcessId']
    if ((Get-SimRdpEffectiveDeny -State $State) -eq 1) {
        if (-not $State.Contains('tcp')) { return }
        foreach ($key in @($State['tcp'].Keys)) {
            $entry = $State['tcp'][$key]
            if ([int]$entry['OwningProcess'] -eq $processId -and [string]$entry['State'] -eq 'Listen') { $State['tcp'].Remove($key) }
        }
        return
    }
    Open-SimRdpListenSocket -State $State -ProcessId $processId
}

function Stop-SimTermServiceListener {
    <# TermService has stopped: its sockets close and the RDP sessions end. #>
    param($State, [int]$ProcessId)
    if ($State.Contains('tcp')) {
        foreach ($key in @($State['tcp'].Keys)) { if ([int]$State['tcp'][$key]['OwningProcess'] -eq $ProcessId) { $State['tcp'].Remove($key) } }
    }
    if ($State.Contains('sessions')) {
        foreach ($key in @($State['sessions'].Keys)) {
            if ([string]$State['sessions'][$key]['WinStationName'] -like 'RDP-Tcp*') { $State['sessions'].Remove($key) }
        }
    }
}

function Test-SimProcessIdInUse {
    param($Table, [int]$ProcessId)
    foreach ($key in @($Table.Keys)) { if ([string]$Table[$key]['State'] -eq 'Running' -and [int]$Table[$key]['ProcessId'] -eq $ProcessId) { return $true } }
    $false
}

function Start-SimService {
    <# Starts a service and, first, what it depends on. Returns an error message or $null. #>
    param($State, $Table, [string]$Name)
    $service = $Table[$Name]
    if ([string]$service['State'] -eq 'Running') { return $null }
    if ([string]$service['State'] -eq 'Stop Pending') {
        # A stop that outlasted its deadline has finished by the time the service is started again.
        $service['State'] = 'Running'
        $null = Stop-SimService -State $State -Table $Table -Name $Name -Force -IgnorePending
    }
    if ([string]$service['StartMode'] -eq 'Disabled') {
        return "Service '$(Get-SimServiceDisplayName -Name $Name -Service $service) ($Name)' cannot be started due to the following error: Cannot start service $Name on computer '.'."
    }
    foreach ($dependency in @($script:SimServiceDependencies[$Name])) {
        $stored = Find-SimStateKey -Table $Table -Name $dependency
        if ($null -ne $stored) {
            $problem = Start-SimService -State $State -Table $Table -Name $stored
            if ($problem) { return $problem }
        }
    }
    Invoke-SimFault -Command "Start-Service:$Name"
    $highest = 4000
    foreach ($key in @($Table.Keys)) { if ([int]$Table[$key]['ProcessId'] -gt $highest) { $highest = [int]$Table[$key]['ProcessId'] } }
    if ($State.Contains('processes')) { foreach ($key in @($State['processes'].Keys)) { if ([int]$State['processes'][$key]['Id'] -gt $highest) { $highest = [int]$State['processes'][$key]['Id'] } } }
    $processId = $highest + 4
    $service['State'] = 'Running'; $service['Started'] = $true; $service['ProcessId'] = $processId
    if ($Name -ieq 'TermService') { Start-SimTermServiceListener -State $State -ProcessId $processId }
    Invoke-SimServiceStarted -State $State -Name $Name  # CertificateRegeneration.ps1: what starting it makes Windows do
    $null
}

function Stop-SimService {
    <# Stops a service (and, with -Force, its running dependents). Returns the names stopped, or throws. #>
    param($State, $Table, [string]$Name, [switch]$Force, [switch]$NoWait, [switch]$IgnorePending)
    $service = $Table[$Name]
    $stopped = @()
    $dependents = @($script:SimServiceDependencies.Keys | Where-Object { $script:SimServiceDependencies[$_] -contains $Name } |
            ForEach-Object { Find-SimStateKey -Table $Table -Name $_ } | Where-Object { $_ -and [string]$Table[$_]['State'] -eq 'Running' })
    if ($dependents -and -not $Force) {
        throw [System.InvalidOperationException]::new("Cannot stop service '$(Get-SimServiceDisplayName -Name $Name -Service $service) ($Name)' because it has dependent services. It can only be stopped if the Force flag is set.")
    }
    foreach ($dependent in $dependents) { $stopped += Stop-SimService -State $State -Table $Table -Name $dependent -Force }
    if ([string]$service['State'] -ne 'Running') { return $stopped }
    # Fault kind 'stop-pending': the service takes longer to stop than anyone waits (-NoWait returns
    # with it StopPending; a caller that waits without a deadline hangs, as Stop-Service does).
    $faults = Get-SimSection -Key 'faults' -State $State
    if (-not $IgnorePending -and $faults.Contains("Stop-Service:$Name") -and [string]$faults["Stop-Service:$Name"]['kind'] -eq 'stop-pending') {
        $service['State'] = 'Stop Pending'
        if ($NoWait) { return $stopped }
        Start-Sleep -Seconds $(if ($faults["Stop-Service:$Name"].Contains('seconds')) { [int]$faults["Stop-Service:$Name"]['seconds'] } else { 3600 })
    }
    if (-not $IgnorePending) { Invoke-SimFault -Command "Stop-Service:$Name" }
    $processId = [int]$service['ProcessId']
    $service['State'] = 'Stopped'; $service['Started'] = $false; $service['ProcessId'] = 0
    if ($Name -ieq 'TermService') { Stop-SimTermServiceListener -State $State -ProcessId $processId }
    if ($processId -and -not (Test-SimProcessIdInUse -Table $Table -ProcessId $processId) -and $State.Contains('processes')) { $State['processes'].Remove("$processId") }
    $stopped + @($Name)
}

function Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline)][object[]]$InputObject,
        [Alias('Cn')][string[]]$ComputerName,
        [Alias('DS')][switch]$DependentServices,
        [Alias('SDO', 'ServicesDependedOn')][switch]$RequiredServices,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process {
        if (-not (Test-SimHostActive)) { Microsoft.PowerShell.Management\Get-Service @PSBoundParameters; return }
        Invoke-SimFault -Command 'Get-Service'
        $table = Get-SimServiceTable -State (Get-SimState)
        foreach ($serviceName in @(Get-SimServiceTarget -Cmdlet $PSCmdlet -Bound $PSBoundParameters -Table $table)) {
            if ($Include -and -not (Test-SimLike $serviceName $Include)) { continue }
            if ($Exclude -and (Test-SimLike $serviceName $Exclude)) { continue }
            New-SimServiceObject -Name $serviceName -Service $table[$serviceName]
        }
    }
}

function Invoke-SimServiceControl {
    <# The shared body of Start/Stop/Restart-Service: select, ask ShouldProcess, change, save, PassThru. #>
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, [ValidateSet('Start', 'Stop', 'Restart')][string]$Verb)
    Invoke-SimFault -Command "$Verb-Service"
    $state = Get-SimState
    $table = Get-SimServiceTable -State $state
    foreach ($name in @(Get-SimServiceTarget -Cmdlet $Cmdlet -Bound $Bound -Table $table)) {
        if ($Bound.ContainsKey('Include') -and -not (Test-SimLike $name $Bound['Include'])) { continue }
        if ($Bound.ContainsKey('Exclude') -and (Test-SimLike $name $Bound['Exclude'])) { continue }
        $target = "$(Get-SimServiceDisplayName -Name $name -Service $table[$name]) ($name)"
        $operation = switch ($Verb) { 'Start' { 'Start-Service' } 'Stop' { 'Stop-Service' } 'Restart' { 'Restart-Service' } }
        if (-not $Cmdlet.ShouldProcess($target, $operation)) { continue }
        try {
            $problem = $null
            if ($Verb -ne 'Start') {
                $stopped = @(Stop-SimService -State $state -Table $table -Name $name -Force:([bool]$Bound['Force']) -NoWait:([bool]$Bound['NoWait']))
            }
            if ($Verb -ne 'Stop') {
                $problem = Start-SimService -State $state -Table $table -Name $name
                # Restart-Service brings back the dependents it had to stop.
                if ($Verb -eq 'Restart' -and -not $problem) {
                    foreach ($other in $stopped) { if ($other -ne $name) { $null = Start-SimService -State $state -Table $table -Name $other } }
                }
            }
        } catch {
            Save-SimState -State $state
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($_.Exception, "CouldNot${Verb}Service", 'InvalidOperation', $name))
            $state = Get-SimState; $table = Get-SimServiceTable -State $state
            continue
        }
        Save-SimState -State $state
        $state = Get-SimState; $table = Get-SimServiceTable -State $state
        if ($problem) {
            $exception = [System.InvalidOperationException]::new($problem)
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, "CouldNot${Verb}Service", 'OpenError', $name))
            continue
        }
        if ($Bound['PassThru']) { New-SimServiceObject -Name $name -Service $table[$name] }
    }
}

function Start-Service {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, ValueFromPipeline)][object[]]$InputObject,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process { Invoke-SimServiceControl -Cmdlet $PSCmdlet -Bound $PSBoundParameters -Verb 'Start' }
}

function Stop-Service {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, ValueFromPipeline)][object[]]$InputObject,
        [switch]$Force,
        [switch]$NoWait,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process { Invoke-SimServiceControl -Cmdlet $PSCmdlet -Bound $PSBoundParameters -Verb 'Stop' }
}

function Restart-Service {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, ValueFromPipeline)][object[]]$InputObject,
        [switch]$Force,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    process { Invoke-SimServiceControl -Cmdlet $PSCmdlet -Bound $PSBoundParameters -Verb 'Restart' }
}

function Set-Service {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][Alias('ServiceName', 'SN')][string]$Name,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline)][object]$InputObject,
        [string]$DisplayName,
        [string]$Description,
        [ValidateSet('Automatic', 'Manual', 'Disabled', 'Boot', 'System')][Alias('StartMode', 'SM', 'ST')][string]$StartupType,
        [ValidateSet('Running', 'Stopped', 'Paused')][string]$Status,
        [switch]$PassThru
    )
    process {
        Invoke-SimFault -Command 'Set-Service'
        $state = Get-SimState
        $table = Get-SimServiceTable -State $state
        $wanted = if ($PSCmdlet.ParameterSetName -eq 'InputObject') { $InputObject.Name } else { $Name }
        $stored = Find-SimStateKey -Table $table -Name $wanted
        if ($null -eq $stored) {
            $exception = [System.InvalidOperationException]::new("Service $wanted was not found on computer '.'.")
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'CouldNotSetService', 'ObjectNotFound', $wanted))
            return
        }
        if (-not $PSCmdlet.ShouldProcess("$(Get-SimServiceDisplayName -Name $stored -Service $table[$stored]) ($stored)", 'Set-Service')) { return }
        if ($PSBoundParameters.ContainsKey('StartupType')) {
            $table[$stored]['StartMode'] = switch ($StartupType) { 'Automatic' { 'Auto' } default { $StartupType } }
        }
        if ($PSBoundParameters.ContainsKey('DisplayName')) { $table[$stored]['DisplayName'] = $DisplayName }
        Save-SimState -State $state
        if ($PSBoundParameters.ContainsKey('Status')) {
            $verb = if ($Status -eq 'Running') { 'Start' } else { 'Stop' }
            Invoke-SimServiceControl -Cmdlet $PSCmdlet -Bound @{ Name = @($stored) } -Verb $verb
        }
        if ($PassThru) { New-SimServiceObject -Name $stored -Service (Get-SimServiceTable -State (Get-SimState))[$stored] }
    }
}
