# Follows: Microsoft Learn Get-NetTCPConnection (MSFT_NetTCPConnection), the netstat command reference with real English/German/French `netstat -ano` output, and Get-Process (-IncludeUserName needs elevation).
# Network shadows: Get-NetTCPConnection and `netstat` read the scenario's `tcp` section,
#   "tcp": { "<any key>": { "LocalAddress": "0.0.0.0", "LocalPort": 3389, "RemoteAddress": "0.0.0.0",
#                           "RemotePort": 0, "State": "Listen", "OwningProcess": 1180 } }
# (State uses the MSFT_NetTCPConnection names: Listen, Established, TimeWait, CloseWait, ...).
# Get-Process reads `processes` ({ "<pid>": { "Id", "ProcessName", "SessionId"?, "UserName"? } }) plus
# one winlogon per entry of `sessions` and one explorer per session that has a UserName (rdpinit and
# rdpshell instead for a session with `remoteApp`).
# Host switches read here: `host.language` (netstat's words), `host.missingCommands` (commands that
# throw CommandNotFoundException, as on a host without the module); Get-Process -IncludeUserName
# needs an elevated identity (Identity.ps1).

function Test-SimHostActive {
    <# True when a simulated host is in use; shadows with no path to tell pass through otherwise. #>
    [bool]$env:RDP_HEALTH_SIM_STATE
}

function Get-SimHostSetting {
    <# A value of the scenario's `host` section, or the default. #>
    param([Parameter(Mandatory)][string]$Name, $Default = $null)
    $hostSection = Get-SimSection -Key 'host'
    if ($hostSection -is [System.Collections.IDictionary] -and $hostSection.Contains($Name)) { return $hostSection[$Name] }
    $Default
}

function Assert-SimCommandPresent {
    <# Throws what PowerShell throws for a command the host does not have (scenario host.missingCommands). #>
    param([Parameter(Mandatory)][string]$Name)
    foreach ($missing in @(Get-SimHostSetting -Name 'missingCommands' -Default @())) {
        if ($missing -ieq $Name) {
            $message = "The term '$Name' is not recognized as the name of a cmdlet, function, script file, or operable program. (simulated)"
            $exception = [System.Management.Automation.CommandNotFoundException]::new($message)
            throw [System.Management.Automation.ErrorRecord]::new($exception, 'CommandNotFoundException', 'ObjectNotFound', $Name)
        }
    }
}

function New-SimObjectNotFound {
    <# The non-terminating error a CDXML or provider cmdlet writes when a query matches nothing. #>
    param([Parameter(Mandatory)][string]$Message, [string]$Target)
    $exception = [System.Management.Automation.ItemNotFoundException]::new($Message)
    [System.Management.Automation.ErrorRecord]::new($exception, 'CmdletizationQuery_NotFound', 'ObjectNotFound', $Target)
}

# ---------------------------------------------------------------- TCP

function Get-SimTcpEntry {
    $tcp = Get-SimSection -Key 'tcp'
    foreach ($key in @($tcp.Keys)) { $tcp[$key] }
}

function Get-NetTCPConnection {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][Alias('IPAddress')][string[]]$LocalAddress,
        [Parameter(Position = 1)][uint16[]]$LocalPort,
        [string[]]$RemoteAddress,
        [uint16[]]$RemotePort,
        [ValidateSet('Closed', 'Listen', 'SynSent', 'SynReceived', 'Established', 'FinWait1', 'FinWait2', 'CloseWait', 'Closing', 'LastAck', 'TimeWait', 'DeleteTCB', 'Bound')][string[]]$State,
        [ValidateSet('Internet', 'Datacenter', 'Compat', 'DatacenterCustom', 'InternetCustom')][string[]]$AppliedSetting,
        [uint32[]]$OwningProcess,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-SimCommandPresent -Name 'Get-NetTCPConnection'
    Invoke-SimFault -Command 'Get-NetTCPConnection'
    $found = 0
    foreach ($entry in Get-SimTcpEntry) {
        if ($LocalAddress -and -not ($LocalAddress | Where-Object { [string]$entry['LocalAddress'] -like $_ })) { continue }
        if ($LocalPort -and $LocalPort -notcontains [uint16]$entry['LocalPort']) { continue }
        if ($RemoteAddress -and -not ($RemoteAddress | Where-Object { [string]$entry['RemoteAddress'] -like $_ })) { continue }
        if ($RemotePort -and $RemotePort -notcontains [uint16]$entry['RemotePort']) { continue }
        if ($State -and $State -notcontains [string]$entry['State']) { continue }
        if ($OwningProcess -and $OwningProcess -notcontains [uint32]$entry['OwningProcess']) { continue }
        $found++
        $object = [PSCustomObject][ordered]@{
            LocalAddress   = [string]$entry['LocalAddress']
            LocalPort      = [uint16]$entry['LocalPort']
            RemoteAddress  = [string]$entry['RemoteAddress']
            RemotePort     = [uint16]$entry['RemotePort']
            State          = [string]$entry['State']
            AppliedSetting = $null
            OwningProcess  = [uint32]$entry['OwningProcess']
            CreationTime   = (Get-Date).AddHours(-3)
            OffloadState   = 'InHost'
        }
        $object.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetTCPConnection')
        $object
    }
    if ($found -eq 0) {
        $criteria = @()
        foreach ($name in 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'OwningProcess') {
            if ($PSBoundParameters.ContainsKey($name)) { $criteria += "'$name' equal to '$($PSBoundParameters[$name] -join ',')'" }
        }
        $what = if ($criteria) { " with property $($criteria -join ', ')" } else { '' }
        $PSCmdlet.WriteError((New-SimObjectNotFound -Message "No MSFT_NetTCPConnection objects found$what. Verify the value of the property and retry." -Target 'MSFT_NetTCPConnection'))
    }
}

# netstat's words per UI language. Real netstat writes the OEM code page; a probe that has set
# [Console]::OutputEncoding to UTF-8 (as Invoke-RdpProbe does) decodes a byte such as 0x99 ('O' with
# umlaut in cp850) as U+FFFD, so a German host shows 'ABH?REN' with a replacement character.
$script:SimNetstatText = @{
    'en' = @{
        Title = 'Active Connections'; Header = @('Proto', 'Local Address', 'Foreign Address', 'State', 'PID')
        States = @{ Listen = 'LISTENING'; Established = 'ESTABLISHED'; TimeWait = 'TIME_WAIT'; CloseWait = 'CLOSE_WAIT'; SynSent = 'SYN_SENT'; Bound = 'BOUND' }
    }
    'de' = @{
        Title = 'Aktive Verbindungen'; Header = @('Proto', 'Lokale Adresse', 'Remoteadresse', 'Status', 'PID')
        States = @{ Listen = "ABH$([char]0x00D6)REN"; Established = 'HERGESTELLT'; TimeWait = 'WARTEND'; CloseWait = 'SCHLIESSEN_WARTEN'; SynSent = 'SYN_GESENDET'; Bound = 'GEBUNDEN' }
    }
    'fr' = @{
        Title = 'Connexions actives'; Header = @('Proto', 'Adresse locale', 'Adresse distante', "$([char]0x00C9)tat", 'PID')
        States = @{ Listen = "$([char]0x00C9)COUTE"; Established = "$([char]0x00C9)TABLIE"; TimeWait = 'TIME_WAIT'; CloseWait = 'CLOSE_WAIT'; SynSent = 'SYN_ENVOY'; Bound = 'LI' }
    }
}

function ConvertTo-SimConsoleText {
    <# What a probe sees of netstat's OEM bytes: non-ASCII becomes U+FFFD when the console decodes UTF-8. #>
    param([string]$Text)
    if ([Console]::OutputEncoding.CodePage -ne 65001) { return $Text }
    -join ($Text.ToCharArray() | ForEach-Object { if ([int]$_ -gt 127) { [char]0xFFFD } else { $_ } })
}

function Format-SimNetstatEndpoint {
    param([string]$Address, [int]$Port)
    if ($Address.Contains(':')) { return "[$Address]:$Port" }
    "${Address}:$Port"
}

function netstat {
    <# Shadow of netstat.exe: -a -n -o (any combination, e.g. -ano) and -p TCP|TCPv6. #>
    if (-not (Test-SimHostActive)) { return & (Get-Command -Name 'netstat' -CommandType Application | Select-Object -First 1) @args }
    Assert-SimCommandPresent -Name 'netstat'
    Invoke-SimFault -Command 'netstat'
    $withPid = $false; $protocol = $null; $all = $false
    for ($i = 0; $i -lt $args.Count; $i++) {
        $arg = [string]$args[$i]
        if ($arg -ieq '-p') { $protocol = [string]$args[$i + 1]; $i++; continue }
        if ($arg -match '^-[a-z]+$') {
            if ($arg -match 'o') { $withPid = $true }
            if ($arg -match 'a') { $all = $true }
        }
    }
    $language = ([string](Get-SimHostSetting -Name 'language' -Default 'en-US')).Split('-')[0].ToLowerInvariant()
    if (-not $script:SimNetstatText.ContainsKey($language)) { $language = 'en' }
    $text = $script:SimNetstatText[$language]
    $columns = @($text.Header)
    if (-not $withPid) { $columns = $columns[0..3] }
    ''
    ConvertTo-SimConsoleText $text.Title
    ''
    $header = '  {0,-7}{1,-23}{2,-23}{3,-16}{4}' -f $columns[0], $columns[1], $columns[2], $columns[3], $(if ($withPid) { $columns[4] } else { '' })
    ConvertTo-SimConsoleText $header.TrimEnd()
    foreach ($entry in Get-SimTcpEntry) {
        $isV6 = ([string]$entry['LocalAddress']).Contains(':')
        if ($protocol -ieq 'TCP' -and $isV6) { continue }
        if ($protocol -ieq 'TCPv6' -and -not $isV6) { continue }
        if ($protocol -and $protocol -notmatch '^TCP(v6)?$') { continue }
        if (-not $all -and [string]$entry['State'] -eq 'Listen') { continue }
        $state = [string]$entry['State']
        $word = if ($text.States.ContainsKey($state)) { $text.States[$state] } else { $state.ToUpperInvariant() }
        $local = Format-SimNetstatEndpoint ([string]$entry['LocalAddress']) ([int]$entry['LocalPort'])
        $remote = Format-SimNetstatEndpoint ([string]$entry['RemoteAddress']) ([int]$entry['RemotePort'])
        $line = '  {0,-7}{1,-23}{2,-23}{3,-16}{4}' -f 'TCP', $local, $remote, $word, $(if ($withPid) { [int]$entry['OwningProcess'] } else { '' })
        ConvertTo-SimConsoleText $line.TrimEnd()
    }
}

# ---------------------------------------------------------------- processes

function Get-SimProcessTable {
    <# Every simulated process: the `processes` section plus winlogon/explorer for each session. #>
    $table = [ordered]@{}
    $processes = Get-SimSection -Key 'processes'
    foreach ($key in @($processes.Keys)) {
        $entry = $processes[$key]
        $table[[string]$entry['Id']] = @{
            Id = [int]$entry['Id']; ProcessName = [string]$entry['ProcessName']
            SessionId = $(if ($entry.Contains('SessionId')) { [int]$entry['SessionId'] } else { 0 })
            UserName = $(if ($entry.Contains('UserName')) { [string]$entry['UserName'] } else { 'NT AUTHORITY\SYSTEM' })
        }
    }
    $sessions = Get-SimSection -Key 'sessions'
    foreach ($key in @($sessions.Keys)) {
        $session = $sessions[$key]
        $sessionId = [int]$session['SessionId']
        $winlogon = 20000 + 10 * $sessionId
        $table["$winlogon"] = @{ Id = $winlogon; ProcessName = 'winlogon'; SessionId = $sessionId; UserName = 'NT AUTHORITY\SYSTEM' }
        if ($session.Contains('UserName') -and $session['UserName']) {
            # A RemoteApp session runs rdpinit and rdpshell, not explorer.
            $shells = @('explorer')
            if ($session.Contains('remoteApp') -and $session['remoteApp']) { $shells = @('rdpinit', 'rdpshell') }
            $shellId = $winlogon
            foreach ($shell in $shells) {
                $shellId++
                $table["$shellId"] = @{ Id = $shellId; ProcessName = $shell; SessionId = $sessionId; UserName = [string]$session['UserName'] }
            }
        }
    }
    $table
}

function New-SimProcessObject {
    param($Entry, [switch]$IncludeUserName)
    $object = [PSCustomObject][ordered]@{
        Id = $Entry.Id; ProcessName = $Entry.ProcessName; Name = $Entry.ProcessName; SessionId = $Entry.SessionId
        Path = $null; HasExited = $false
    }
    if ($IncludeUserName) { $object | Add-Member -MemberType NoteProperty -Name UserName -Value $Entry.UserName }
    $object.PSObject.TypeNames.Insert(0, 'System.Diagnostics.Process')
    $object
}

function Get-Process {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'NameWithUserName', Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ProcessName')][string[]]$Name,
        [Parameter(ParameterSetName = 'Id', Mandatory, ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'IdWithUserName', Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('PID')][int[]]$Id,
        [Parameter(ParameterSetName = 'NameWithUserName', Mandatory)]
        [Parameter(ParameterSetName = 'IdWithUserName', Mandatory)]
        [switch]$IncludeUserName,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][switch]$Module,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][Alias('FV', 'FVI')][switch]$FileVersionInfo
    )
    process {
        if (-not (Test-SimHostActive)) { Microsoft.PowerShell.Management\Get-Process @PSBoundParameters; return }
        Invoke-SimFault -Command 'Get-Process'
        if ($IncludeUserName -and -not (Test-SimElevated)) {
            $exception = [System.InvalidOperationException]::new("The 'IncludeUserName' parameter requires elevated user rights. Try running the command again in a session that has been opened with elevated user rights (that is, Run as Administrator). (simulated)")
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'IncludeUserNameRequiresElevation', 'InvalidOperation', $null))
        }
        $table = Get-SimProcessTable
        if ($PSBoundParameters.ContainsKey('Id')) {
            foreach ($one in $Id) {
                if ($table.Contains("$one")) { New-SimProcessObject -Entry $table["$one"] -IncludeUserName:$IncludeUserName; continue }
                $exception = [System.ArgumentException]::new("Cannot find a process with the process identifier $one.")
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoProcessFoundForGivenId,Microsoft.PowerShell.Commands.GetProcessCommand', 'ObjectNotFound', $one))
            }
            return
        }
        $patterns = if ($Name) { $Name } else { @('*') }
        foreach ($pattern in $patterns) {
            $hits = @($table.Values | Where-Object { $_.ProcessName -like $pattern } | Sort-Object { $_.ProcessName }, { $_.Id })
            foreach ($hit in $hits) { New-SimProcessObject -Entry $hit -IncludeUserName:$IncludeUserName }
            if ($hits.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern)) {
                $exception = [System.InvalidOperationException]::new("Cannot find a process with the name `"$pattern`". Verify the process name and call the cmdlet again.")
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoProcessFoundForGivenName,Microsoft.PowerShell.Commands.GetProcessCommand', 'ObjectNotFound', $pattern))
            }
        }
    }
}
