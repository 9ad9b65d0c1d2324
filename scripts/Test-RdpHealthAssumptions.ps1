#Requires -Version 5.1
<#
.SYNOPSIS
Checks, on a real host, the assumptions about Windows that Microsoft's documentation leaves open and
that RDP Health's checks and fixes depend on.

.DESCRIPTION
Run it three times - as a standard user, as an administrator without elevation, and elevated - and
attach the three JSON files to issue 11. Each check says what RDP Health assumes, what this host and
identity showed, and whether the assumption holds ('holds', 'differs', or 'unknown' when it could not
be observed). Nothing is changed, except one temporary file written and removed (to see who owns it).
Checks: whether Win32_TSGeneralSetting (root\cimv2\TerminalServices) answers this identity; whether
the Remote Desktop certificate store can be opened; whether the ActiveStore fills PolicyStoreSourceType
without -TracePolicyStore; who owns a file this identity writes (NoDefaultAdminOwner); the state of the
certificate renewal services; where the self-signed binding is recorded; whether Get-Process
-IncludeUserName needs elevation; qwinsta's column positions; TermService's service SID (sc.exe
showsid); and whether Remote Desktop completes a TLS 1.3 handshake on 127.0.0.1.

.PARAMETER OutFile
Where to write the results as JSON (UTF-8). Without it, only the table is printed.

.PARAMETER Port
The RDP port for the TLS 1.3 handshake; by default RDP-Tcp PortNumber, else 3389.

.OUTPUTS
PSCustomObject, one per check (check, assumption, observed, verdict), also printed as a table.
#>
[CmdletBinding()]
param(
    [string]$OutFile,
    [ValidateRange(1, 65535)][int]$Port
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$script:Ts = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$script:Results = New-Object System.Collections.ArrayList

function Add-AssumptionResult {
    param([string]$Check, [string]$Assumption, [string]$Observed, [ValidateSet('holds', 'differs', 'unknown')][string]$Verdict)
    $null = $script:Results.Add([PSCustomObject][ordered]@{ check = $Check; assumption = $Assumption; observed = $Observed; verdict = $Verdict })
}

function Get-AssumptionErrorKind {
    <# 'denied', 'not-found', 'missing-command' or 'error' for an error record, by exception type and category, never by text. #>
    param($ErrorRecord)
    $exception = $ErrorRecord.Exception
    if ($exception -is [System.Management.Automation.CommandNotFoundException]) { return 'missing-command' }
    while ($null -ne $exception) {
        if ($exception -is [System.UnauthorizedAccessException] -or $exception -is [System.Security.SecurityException]) { return 'denied' }
        $code = $exception.PSObject.Properties['NativeErrorCode']
        if ($null -ne $code -and [string]$code.Value -eq 'AccessDenied') { return 'denied' }
        $exception = $exception.InnerException
    }
    switch ([string]$ErrorRecord.CategoryInfo.Category) { 'PermissionDenied' { return 'denied' } 'ObjectNotFound' { return 'not-found' } }
    'error'
}

# ---------------------------------------------------------------- who is running this

$elevated = $true
try { $null = Get-Process -Name 'winlogon' -IncludeUserName -ErrorAction SilentlyContinue } catch { $elevated = $false }
$identity = [ordered]@{ elevated = $elevated; user = $null; sid = $null; administratorsInToken = $null }
try {
    $current = [System.Security.Principal.WindowsIdentity]::GetCurrent()
    $identity.user = $current.Name
    $identity.sid = $current.User.Value
    # Unelevated, Administrators is in the token as deny-only, which Groups leaves out.
    $identity.administratorsInToken = @($current.Groups | Where-Object { $_.Value -eq 'S-1-5-32-544' }).Count -gt 0
} catch { Write-Verbose "No Windows identity here: $($_.Exception.Message)" }
$role = 'standard user'
if ($elevated) { $role = 'elevated administrator' } elseif ($identity.administratorsInToken -eq $false -and $identity.user) { $role = 'standard user or unelevated administrator' }
Add-AssumptionResult -Check 'identity' -Assumption 'Get-Process -IncludeUserName works only elevated (the checks read session users with qwinsta instead).' -Observed "$role; IncludeUserName: $(if ($elevated) { 'works' } else { 'refused' })" -Verdict 'holds'

# ---------------------------------------------------------------- WMI TerminalServices

try {
    $setting = @(Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName 'Win32_TSGeneralSetting' -Filter "TerminalName='RDP-Tcp'" -ErrorAction Stop)
    $type = $null
    if ($setting.Count -gt 0) { $type = $setting[0].SSLCertificateSHA1HashType }
    $verdict = 'holds'
    if (-not $elevated) { $verdict = 'differs' }
    Add-AssumptionResult -Check 'wmi-terminalservices' -Assumption 'root\cimv2\TerminalServices may refuse a standard user (the checks carry on with the registry).' -Observed "readable ($($setting.Count) RDP-Tcp instance, SSLCertificateSHA1HashType $type)" -Verdict $verdict
} catch {
    $kind = Get-AssumptionErrorKind $_
    $verdict = 'unknown'
    if ($kind -eq 'denied') { $verdict = 'holds' }
    Add-AssumptionResult -Check 'wmi-terminalservices' -Assumption 'root\cimv2\TerminalServices may refuse a standard user (the checks carry on with the registry).' -Observed "$kind ($($_.Exception.GetType().Name))" -Verdict $verdict
}

# ---------------------------------------------------------------- the Remote Desktop store

$storeAssumption = 'The Remote Desktop store has its own ACL: denied must be told from absent (the Cert: provider reports both as "does not exist").'
try {
    $count = @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\Remote Desktop' -ErrorAction Stop).Count
    $observed = "Cert: provider: readable, $count certificate(s)"
    $verdict = 'holds'
} catch {
    $observed = "Cert: provider: $(Get-AssumptionErrorKind $_)"
    $verdict = 'unknown'
}
if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store('Remote Desktop', 'LocalMachine')
    try {
        $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
        $observed += '; X509Store OpenExistingOnly: opened'
    } catch {
        $observed += "; X509Store OpenExistingOnly: $($_.Exception.InnerException.GetType().Name) $('0x{0:X8}' -f $_.Exception.InnerException.HResult)"
        $verdict = 'holds'
    } finally { $store.Close() }
}
Add-AssumptionResult -Check 'remote-desktop-store' -Assumption $storeAssumption -Observed $observed -Verdict $verdict

# ---------------------------------------------------------------- firewall PolicyStoreSourceType

$traceAssumption = 'The ActiveStore fills PolicyStoreSourceType only with -TracePolicyStore (the checks always trace).'
try {
    $plain = @(Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -PolicyStore ActiveStore -ErrorAction Stop)[0]
    $traced = @(Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -PolicyStore ActiveStore -TracePolicyStore -ErrorAction Stop)[0]
    $untracedType = [string]$plain.PolicyStoreSourceType
    $verdict = 'differs'
    if (-not $untracedType -or $untracedType -ne [string]$traced.PolicyStoreSourceType) { $verdict = 'holds' }
    Add-AssumptionResult -Check 'policy-store-source-type' -Assumption $traceAssumption -Observed "untraced: '$untracedType' / '$($plain.PolicyStoreSource)'; traced: '$($traced.PolicyStoreSourceType)' / '$($traced.PolicyStoreSource)'" -Verdict $verdict
} catch {
    Add-AssumptionResult -Check 'policy-store-source-type' -Assumption $traceAssumption -Observed (Get-AssumptionErrorKind $_) -Verdict 'unknown'
}

# ---------------------------------------------------------------- who owns a file written elevated

$ownerAssumption = 'A file an elevated administrator writes is owned by Administrators unless NoDefaultAdminOwner is 0 (then by the user): undo records accept either.'
$noDefault = $null
try { $noDefault = (Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa' -Name 'NoDefaultAdminOwner' -ErrorAction Stop).NoDefaultAdminOwner } catch { Write-Verbose 'NoDefaultAdminOwner is not set.' }
$probeFile = Join-Path ([System.IO.Path]::GetTempPath()) ("rdp-health-owner-$PID.tmp")
try {
    [System.IO.File]::WriteAllText($probeFile, 'owner check')
    $owner = (Get-Acl -LiteralPath $probeFile).GetOwner([System.Security.Principal.SecurityIdentifier]).Value
    $verdict = 'holds'
    if ($elevated -and $owner -ne 'S-1-5-32-544' -and $owner -ne $identity.sid) { $verdict = 'differs' }
    Add-AssumptionResult -Check 'elevated-file-owner' -Assumption $ownerAssumption -Observed "owner $owner (user $($identity.sid)); NoDefaultAdminOwner $(if ($null -eq $noDefault) { 'not set' } else { $noDefault })" -Verdict $verdict
} catch {
    Add-AssumptionResult -Check 'elevated-file-owner' -Assumption $ownerAssumption -Observed "$(Get-AssumptionErrorKind $_) ($($_.Exception.GetType().Name))" -Verdict 'unknown'
} finally { Remove-Item -LiteralPath $probeFile -Force -ErrorAction SilentlyContinue }

# ---------------------------------------------------------------- renewal services, binding, sessions, service SID

$states = @(foreach ($name in 'SessionEnv', 'CertPropSvc', 'KeyIso', 'CryptSvc') {
        $service = @(Get-CimInstance -ClassName Win32_Service -Filter "Name='$name'" -ErrorAction SilentlyContinue)
        if ($service.Count -eq 0) { "${name}: absent" } else { "${name}: $($service[0].State) ($($service[0].StartMode))" }
    })
Add-AssumptionResult -Check 'renewal-services' -Assumption 'Only SessionEnv or CryptSvc Disabled is documented to block regenerating the self-signed certificate; CertPropSvc/KeyIso may be stopped (trigger-start).' -Observed ($states -join '; ') -Verdict 'unknown'

$selfSigned = $null; $customHash = $null
try { $selfSigned = (Get-ItemProperty -LiteralPath "$script:Ts\WinStations" -ErrorAction Stop).SelfSignedCertificate } catch { Write-Verbose 'WinStations not read.' }
try { $customHash = (Get-ItemProperty -LiteralPath "$script:Ts\WinStations\RDP-Tcp" -ErrorAction Stop).SSLCertificateSHA1Hash } catch { Write-Verbose 'RDP-Tcp not read.' }
$observed = "WinStations\SelfSignedCertificate: $(if ($selfSigned -is [byte[]]) { "$($selfSigned.Length) bytes" } else { 'absent' }); RDP-Tcp\SSLCertificateSHA1Hash: $(if ($null -ne $customHash) { 'present' } else { 'absent' })"
$verdict = 'unknown'
if ($selfSigned -is [byte[]]) { $verdict = 'holds'; if ($selfSigned.Length -ne 20) { $verdict = 'differs' } }
Add-AssumptionResult -Check 'self-signed-binding' -Assumption 'The self-signed binding is WinStations\SelfSignedCertificate (REG_BINARY, 20 bytes); RDP-Tcp\SSLCertificateSHA1Hash exists only for a custom certificate.' -Observed $observed -Verdict $verdict

$qwinstaAssumption = 'qwinsta columns are fixed: name from 1, user from 19, id right-aligned in 41-45 (any UI language).'
try {
    $lines = @(qwinsta)
    $header = ([string]$lines[0]).PadRight(60)
    $ids = @($lines | Select-Object -Skip 1 | ForEach-Object { ([string]$_).PadRight(60).Substring(41, 5).Trim() })
    $numeric = @($ids | Where-Object { $_ -match '^\d+$' }).Count
    $verdict = 'differs'
    if ($header.Substring(44, 2) -eq 'ID' -and $numeric -eq $ids.Count) { $verdict = 'holds' }
    Add-AssumptionResult -Check 'qwinsta-columns' -Assumption $qwinstaAssumption -Observed "header '$($header.TrimEnd())'; $numeric of $($ids.Count) rows have a number at 41-45" -Verdict $verdict
} catch {
    Add-AssumptionResult -Check 'qwinsta-columns' -Assumption $qwinstaAssumption -Observed (Get-AssumptionErrorKind $_) -Verdict 'unknown'
}

$sidAssumption = "TermService's token holds its service SID NT SERVICE\TermService (sc.exe showsid), so a grant to it counts."
try {
    $shown = @(sc.exe showsid TermService) -join ' '
    $verdict = 'unknown'
    if ($shown -match '(S-1-5-80(?:-\d+){5})') { $verdict = 'holds'; $shown = $Matches[1] }
    Add-AssumptionResult -Check 'termservice-service-sid' -Assumption $sidAssumption -Observed $shown -Verdict $verdict
} catch {
    Add-AssumptionResult -Check 'termservice-service-sid' -Assumption $sidAssumption -Observed (Get-AssumptionErrorKind $_) -Verdict 'unknown'
}

. (Join-Path $PSScriptRoot 'Test-RdpTls13Handshake.ps1')
if (-not $Port) {
    $Port = 3389
    try { $Port = [int](Get-ItemProperty -LiteralPath "$script:Ts\WinStations\RDP-Tcp" -ErrorAction Stop).PortNumber } catch { Write-Verbose 'PortNumber not read: 3389.' }
}
$tls13 = Test-RdpTls13Handshake -Port $Port
$verdict = 'unknown'
# A refusal is the server's only where this Windows' own Schannel has TLS 1.3 (build 20348 and later).
if ($tls13 -like 'accepted*') { $verdict = 'holds' } elseif ($tls13 -like 'refused*' -and [Environment]::OSVersion.Version.Build -ge 20348) { $verdict = 'differs' }
Add-AssumptionResult -Check 'tls13-handshake' -Assumption 'Remote Desktop negotiates TLS 1.3 where Schannel offers it (undocumented: the TLS check does not rely on it).' -Observed $tls13 -Verdict $verdict

# ---------------------------------------------------------------- output

$report = [ordered]@{ generatedAt = (Get-Date).ToUniversalTime().ToString('o'); identity = $identity; powershell = [string]$PSVersionTable.PSVersion; results = @($script:Results) }
if ($OutFile) {
    $path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
    [System.IO.File]::WriteAllText($path, (ConvertTo-Json -InputObject $report -Depth 6), (New-Object System.Text.UTF8Encoding $false))
}
$script:Results | Format-Table -AutoSize -Wrap -Property check, verdict, observed | Out-Host
$script:Results
