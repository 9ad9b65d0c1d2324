# Follows: the qwinsta (query session) command reference and real `qwinsta` output of Windows Server 2022 (fixed-width columns, English and German headers), and Microsoft Learn Get-UICulture.
# Session shadows: `qwinsta` prints the scenario's `sessions` ({ "<id>": { SessionId, UserName, State,
# WinStationName, remoteApp? } }) as Windows does: session 0 "services", one row per session (the user
# name without its domain), and the RDP-Tcp listener row (id 65536) while TermService listens. The
# columns are fixed width (name 18, user 22, id 5 right-aligned, state 8); the header and the state
# words are in the UI language (`host.language`). A session with `remoteApp` runs rdpinit/rdpshell
# instead of explorer (Network.ps1). Get-UICulture answers `host.language`. Fault: 'qwinsta'.

$script:SimQwinstaText = @{
    'en' = @{ Header = @('SESSIONNAME', 'USERNAME', 'ID', 'STATE', 'TYPE', 'DEVICE'); States = @{ Active = 'Active'; Disconnected = 'Disc'; Listen = 'Listen'; Connected = 'Conn' } }
    'de' = @{ Header = @('SITZUNGSNAME', 'BENUTZERNAME', 'ID', 'STATUS', 'TYP', "GER$([char]0x00C4)T"); States = @{ Active = 'Aktiv'; Disconnected = 'Getr.'; Listen = "Abh$([char]0x00F6)r."; Connected = 'Verb.' } }
}

function Format-SimQwinstaRow {
    param([string]$Name, [string]$User, [string]$Id, [string]$State)
    (' {0,-18}{1,-22}{2,5}  {3}' -f $Name, $User, $Id, $State).TrimEnd()
}

function qwinsta {
    <# Shadow of qwinsta.exe (no arguments): the sessions of the simulated host. #>
    if (-not (Test-SimHostActive)) { return & (Get-Command -Name 'qwinsta' -CommandType Application | Select-Object -First 1) @args }
    Assert-SimCommandPresent -Name 'qwinsta'
    Invoke-SimFault -Command 'qwinsta'
    $language = ([string](Get-SimHostSetting -Name 'language' -Default 'en-US')).Split('-')[0].ToLowerInvariant()
    if (-not $script:SimQwinstaText.ContainsKey($language)) { $language = 'en' }
    $text = $script:SimQwinstaText[$language]
    $h = $text.Header
    ConvertTo-SimConsoleText ((' {0,-18}{1,-22}{2,5}  {3,-8}{4,-12}{5}' -f $h[0], $h[1], $h[2], $h[3], $h[4], $h[5]).TrimEnd())
    ConvertTo-SimConsoleText (Format-SimQwinstaRow -Name 'services' -Id '0' -State $text.States['Disconnected'])
    $sessions = Get-SimSection -Key 'sessions'
    foreach ($key in @($sessions.Keys)) {
        $session = $sessions[$key]
        $state = [string]$session['State']
        $word = if ($text.States.ContainsKey($state)) { $text.States[$state] } else { $state }
        $name = ([string]$session['WinStationName']).ToLowerInvariant()
        # A disconnected session has no station name.
        if ($state -eq 'Disconnected') { $name = '' }
        $user = ''
        if ($session.Contains('UserName') -and $session['UserName']) { $user = ([string]$session['UserName'] -split '\\')[-1] }
        ConvertTo-SimConsoleText (Format-SimQwinstaRow -Name $name -User $user -Id ([string][int]$session['SessionId']) -State $word)
    }
    $listening = @(Get-SimTcpEntry | Where-Object { [string]$_['State'] -eq 'Listen' -and [int]$_['LocalPort'] -eq (Get-SimRdpPort -State (Get-SimState)) })
    if ($listening.Count -gt 0) { ConvertTo-SimConsoleText (Format-SimQwinstaRow -Name 'rdp-tcp' -Id '65536' -State $text.States['Listen']) }
    $global:LASTEXITCODE = 0
}

function Get-UICulture {
    [CmdletBinding()]
    param()
    if (-not (Test-SimHostActive)) { return Microsoft.PowerShell.Utility\Get-UICulture }
    [System.Globalization.CultureInfo]::GetCultureInfo([string](Get-SimHostSetting -Name 'language' -Default 'en-US'))
}
