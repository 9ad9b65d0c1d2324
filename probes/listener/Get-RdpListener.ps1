#Requires -Version 5.1
<#
.SYNOPSIS
Reads whether Remote Desktop Services (TermService) listens on the configured RDP port.

.DESCRIPTION
The port is RDP-Tcp PortNumber (3389 only when the value is absent). TermService and UmRdpService are
read with CIM (State, StartMode, ProcessId). Listening sockets come from Get-NetTCPConnection -State
Listen; where that cmdlet is missing or fails, from `netstat -ano -p TCP` and `-p TCPv6`, parsed by column position:
a listening row is one whose foreign address is 0.0.0.0:0 or [::]:0 (the state word is localized, so
it is never read). Each socket on the port is reported with its owning process, so another program
holding the port is named. When TermService shares its svchost with other services (svchost groups
are not split on hosts with <= 3.5 GB RAM; Win32_Service by ProcessId tells), only the configured port
is attributed to TermService: its process's other ports are reported as ambiguous. Also read: fDenyTSConnections (group policy beats local; 1 refuses
connections), LanAdapter (non-zero binds RDP to one network adapter), the Windows edition (Home
editions, EditionID Core*, have no Remote Desktop host) and the Remote Desktop sessions a restart of
TermService would end: from qwinsta by column position (RemoteApp sessions included, the console left
out); without qwinsta, one winlogon process per session with the user of its explorer process (user
names need elevation; without it they are null).

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"listener","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

function Get-RdpNetstatListener {
    <#
    .SYNOPSIS
    Listening TCP sockets from `netstat -ano -p TCP` and `-p TCPv6`, read by column position only.
    .DESCRIPTION
    Columns: Proto, Local Address, Foreign Address, State, PID. The header and the state words are in
    the UI language (and may be mangled by the console code page), so a row is recognised by its
    first field 'TCP', its foreign address 0.0.0.0:0 / [::]:0 and a numeric last field.
    .OUTPUTS
    PSCustomObject[] with address, port, processId.
    #>
    [CmdletBinding()]
    param()
    $tcpRows = 0
    $listeners = @()
    # -p TCP lists IPv4 sockets only: IPv6 ones ([::]:3389) need -p TCPv6.
    foreach ($line in @(@(netstat -ano -p TCP) + @(netstat -ano -p TCPv6))) {
        $fields = @(([string]$line).Trim() -split '\s+')
        if ($fields.Count -lt 4 -or $fields[0] -ne 'TCP') { continue }
        $tcpRows++
        $processText = $fields[$fields.Count - 1]
        if ($processText -notmatch '^\d+$') { continue }
        if ($fields[2] -ne '0.0.0.0:0' -and $fields[2] -ne '[::]:0') { continue }
        if ($fields[1] -notmatch '^\[?(.*?)\]?:(\d+)$') { continue }
        $listeners += [PSCustomObject]@{ address = $Matches[1]; port = [int]$Matches[2]; processId = [int]$processText }
    }
    # Every Windows host has TCP sockets (RPC on 135 at least): no row at all means netstat failed.
    if ($tcpRows -eq 0) { throw (New-RdpProbeError -Kind 'error' -Message 'netstat -ano -p TCP / -p TCPv6 printed no TCP rows.') }
    , $listeners
}

function Get-RdpListeningSocket {
    <#
    .SYNOPSIS
    All listening TCP sockets and where they were read from (Get-NetTCPConnection, else netstat).
    .OUTPUTS
    PSCustomObject with source, fallbackReason, sockets.
    #>
    [CmdletBinding()]
    param()
    try {
        $sockets = @(Get-NetTCPConnection -State Listen | ForEach-Object {
                [PSCustomObject]@{ address = [string]$_.LocalAddress; port = [int]$_.LocalPort; processId = [int]$_.OwningProcess }
            })
        return [PSCustomObject]@{ source = 'Get-NetTCPConnection'; fallbackReason = $null; sockets = $sockets }
    } catch {
        $missing = $_.Exception -is [System.Management.Automation.CommandNotFoundException]
        # The cmdlet reports "no matching objects" as ObjectNotFound: nothing listens at all.
        if (-not $missing -and [string]$_.CategoryInfo.Category -eq 'ObjectNotFound') {
            return [PSCustomObject]@{ source = 'Get-NetTCPConnection'; fallbackReason = $null; sockets = @() }
        }
        $reason = 'Get-NetTCPConnection failed: ' + $_.Exception.Message
        if ($missing) { $reason = 'Get-NetTCPConnection is not available on this host.' }
        return [PSCustomObject]@{ source = 'netstat'; fallbackReason = $reason; sockets = (Get-RdpNetstatListener) }
    }
}

function Get-RdpProcessName {
    <#
    .SYNOPSIS
    The name of a process by id, or $null when it is gone or cannot be read.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][int]$ProcessId)
    $process = Get-Process -Id $ProcessId -ErrorAction SilentlyContinue
    if ($null -eq $process) { return $null }
    [string]@($process)[0].ProcessName
}

function Get-RdpInteractiveSession {
    <#
    .SYNOPSIS
    Interactive sessions (one winlogon.exe each) with the user of the session's explorer.exe.
    .OUTPUTS
    PSCustomObject with userNamesReadable and sessions (sessionId, userName, desktop).
    #>
    [CmdletBinding()]
    param()
    $winlogon = @(Get-Process -Name 'winlogon' -ErrorAction SilentlyContinue)
    $readable = $true
    try {
        $shells = @(Get-Process -Name 'explorer' -IncludeUserName -ErrorAction Stop)
    } catch {
        if ([string]$_.CategoryInfo.Category -eq 'ObjectNotFound') {
            $shells = @()
        } else {
            # -IncludeUserName needs elevation: list the sessions without user names.
            $readable = $false
            $shells = @(Get-Process -Name 'explorer' -ErrorAction SilentlyContinue)
        }
    }
    $ids = @(@($winlogon) + @($shells) | ForEach-Object { [int]$_.SessionId } | Where-Object { $_ -gt 0 } | Sort-Object -Unique)
    $sessions = @(foreach ($id in $ids) {
            $shell = @($shells | Where-Object { [int]$_.SessionId -eq $id }) | Select-Object -First 1
            $userName = $null
            if ($readable -and $null -ne $shell -and $shell.PSObject.Properties['UserName']) { $userName = [string]$shell.UserName }
            [PSCustomObject]@{ sessionId = $id; userName = $userName; desktop = ($null -ne $shell) }
        })
    [PSCustomObject]@{ userNamesReadable = $readable; sessions = $sessions }
}

function Get-RdpQwinstaSession {
    <#
    .SYNOPSIS
    The sessions a TermService restart ends, from qwinsta read by column position: every session but
    session 0 (services), the console and the listeners (ids from 65536), RemoteApp ones included.
    .DESCRIPTION
    qwinsta's columns are fixed width (name 1-18, user 19-40, id 41-45, state from 48); the header and
    the state words are in the UI language, so only the name, user and id are read. A disconnected
    session has no name. RemoteApp sessions run rdpshell.exe/rdpinit.exe instead of explorer.exe.
    .OUTPUTS
    PSCustomObject[] (sessionId, userName, desktop, station, remoteApp), or $null when qwinsta cannot run.
    #>
    [CmdletBinding()]
    param()
    try { $lines = @(qwinsta) } catch { return $null }
    if ($lines.Count -lt 2) { return $null }
    $remoteApp = @(Get-Process -Name 'rdpshell', 'rdpinit' -ErrorAction SilentlyContinue | ForEach-Object { [int]$_.SessionId })
    $sessions = @(foreach ($line in $lines[1..($lines.Count - 1)]) {
            $row = ([string]$line).PadRight(60)
            $id = 0
            if (-not [int]::TryParse($row.Substring(41, 5).Trim(), [ref]$id) -or $id -le 0 -or $id -ge 65536) { continue }
            $station = $row.Substring(1, 18).Trim()
            if ($station -eq 'console') { continue }
            $user = $row.Substring(19, 22).Trim()
            $stationName = $null
            if ($station) { $stationName = $station }
            $userName = $null
            if ($user) { $userName = $user }
            [PSCustomObject]@{ sessionId = $id; userName = $userName; desktop = [bool]$user; station = $stationName; remoteApp = ($remoteApp -contains $id) }
        })
    , $sessions
}

Invoke-RdpProbe -Name 'listener' -Body {
    $rdpTcp = Get-RdpPath -Name RdpTcp
    $portNumber = Get-RdpRegistryValue -Path $rdpTcp -Name 'PortNumber'
    $port = 3389
    $portSource = 'default'
    if ($null -ne $portNumber) { $port = [int]$portNumber; $portSource = 'local' }
    $lanAdapter = Get-RdpRegistryValue -Path $rdpTcp -Name 'LanAdapter'
    $deny = Get-RdpEffectiveSetting -Name 'fDenyTSConnections' -LocalPath (Get-RdpPath -Name TerminalServer)

    $versionPath = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $editionId = Get-RdpRegistryValue -Path $versionPath -Name 'EditionID'
    $edition = [PSCustomObject]@{
        editionId        = $editionId
        installationType = Get-RdpRegistryValue -Path $versionPath -Name 'InstallationType'
        productName      = Get-RdpRegistryValue -Path $versionPath -Name 'ProductName'
        home             = ([string]$editionId -like 'Core*')
    }

    $services = @(Get-RdpServiceState -Name 'TermService', 'UmRdpService' | ForEach-Object {
            [PSCustomObject]@{ name = $_.Name; present = $_.Present; state = $_.State; startMode = $_.StartMode; processId = $_.ProcessId }
        })
    $termService = @($services | Where-Object { $_.name -eq 'TermService' })[0]
    $umRdpService = @($services | Where-Object { $_.name -eq 'UmRdpService' })[0]
    $termPid = 0
    if ($termService.state -eq 'Running' -and $null -ne $termService.processId) { $termPid = [int]$termService.processId }

    # On small hosts (<= 3.5 GB RAM) svchost groups are not split: TermService may share its process
    # with other services (DoSvc on 7680, ...). Then only the configured port can be attributed to it.
    $coHosted = @()
    if ($termPid -gt 0) {
        $coHosted = @(Get-CimInstance -ClassName Win32_Service -Filter "ProcessId=$termPid" |
                ForEach-Object { [string]$_.Name } | Where-Object { $_ -ne 'TermService' } | Sort-Object -Unique)
    }
    $shared = $coHosted.Count -gt 0

    $read = Get-RdpListeningSocket
    $names = @{}
    $listeners = @(foreach ($socket in @($read.sockets)) {
            $onPort = $socket.port -eq $port
            $inTermProcess = $termPid -gt 0 -and $socket.processId -eq $termPid
            if (-not $onPort -and -not $inTermProcess) { continue }
            $ownedByTermService = $inTermProcess -and ($onPort -or -not $shared)
            if (-not $names.ContainsKey($socket.processId)) { $names[$socket.processId] = Get-RdpProcessName -ProcessId $socket.processId }
            [PSCustomObject]@{
                localAddress = $socket.address; localPort = $socket.port
                processId = $socket.processId; processName = $names[$socket.processId]
                termService = $ownedByTermService
                ambiguous = ($inTermProcess -and -not $ownedByTermService)
            }
        })
    $onPort = @($listeners | Where-Object { $_.localPort -eq $port })
    $others = @($onPort | Where-Object { -not $_.termService } | Sort-Object processId -Unique | ForEach-Object {
            [PSCustomObject]@{ processId = $_.processId; processName = $_.processName }
        })
    $termPorts = @($listeners | Where-Object { $_.termService } | ForEach-Object { $_.localPort } | Sort-Object -Unique)
    $ambiguousPorts = @($listeners | Where-Object { $_.ambiguous } | ForEach-Object { $_.localPort } | Sort-Object -Unique)
    $remoteSessions = Get-RdpQwinstaSession
    $sessionSource = 'qwinsta'
    if ($null -eq $remoteSessions) {
        # No qwinsta: the interactive sessions from their processes (the console cannot be told apart).
        $interactive = Get-RdpInteractiveSession
        $sessionSource = 'processes'
    } else {
        $interactive = [PSCustomObject]@{ userNamesReadable = $true; sessions = $remoteSessions }
    }

    [PSCustomObject]@{
        port                   = $port
        portSource             = $portSource
        termService            = $termService
        umRdpService           = $umRdpService
        listenSource           = $read.source
        fallbackReason         = $read.fallbackReason
        listeners              = @($listeners)
        listening              = ($onPort.Count -gt 0)
        listeningByTermService = (@($onPort | Where-Object { $_.termService }).Count -gt 0)
        otherOwners            = @($others)
        termServicePorts       = @($termPorts)
        termServiceSharedProcess = $shared
        coHostedServices       = @($coHosted)
        ambiguousPorts         = @($ambiguousPorts)
        denyConnections        = [PSCustomObject]@{ effective = $deny.Value; source = $deny.Source; localValue = $deny.LocalValue; policyValue = $deny.PolicyValue }
        lanAdapter             = $lanAdapter
        edition                = $edition
        sessionSource          = $sessionSource
        sessionUserNamesReadable = $interactive.userNamesReadable
        sessions               = @($interactive.sessions)
    }
}
