# Follows: troubleshoot-rdp-internal-error.md and remote-desktop-listener-certificate-configurations.md (MicrosoftDocs/SupportArticles-docs), and System event 1058 as Windows logs it.
# What Windows does when the Remote Desktop Configuration service (SessionEnv) starts: if RDP-Tcp is
# bound to a self-signed certificate (SSLCertificateSHA1HashType 1) that is missing from
# Cert:\LocalMachine\Remote Desktop or has expired, it creates a new self-signed certificate there
# (key container TSSecKeySet1, valid about six months) and binds it: WMI's SSLCertificateSHA1Hash and
# the registry copy WinStations\SelfSignedCertificate (REG_BINARY, 20 bytes), in the store
# WinStations\SelfSignedCertStore names; RDP-Tcp\SSLCertificateSHA1Hash is a custom certificate's and is
# left alone (KB3042780). Microsoft documents the renewal as "delete the certificate, restart SessionEnv"
# (troubleshoot-rdp-internal-error.md); the one other service it needs here is CryptSvc (the
# certificate store), so a Disabled CryptSvc makes it fail; CertPropSvc and KeyIso are not needed.
# A store key whose ACL (`registryAcl`, RegistryAcl.ps1) denies SessionEnv's token CreateSubKey makes it fail too.
# When it cannot, it logs System event 1058 ("failed to replace the expired self signed certificate").
# Services.ps1 calls Invoke-SimServiceStarted after every simulated service start; this file is the
# only place that reacts to it. Fault: 'CertificateRegeneration' (any kind) makes Windows fail to
# create the certificate (event 1058, nothing else changes) - a verification that must then fail.

$script:SimWinStationsKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations'
$script:SimRdpKeyPrefix = 'f686aace6942fb7f7ceb231212eef4a4_'

function Invoke-SimServiceStarted {
    <# Called by the simulated service control once a service has started; changes $State in place (the caller saves it). #>
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)][string]$Name)
    if ($Name -ieq 'SessionEnv') { Invoke-SimCertificateRegeneration -State $State }
}

function Get-SimStateValue {
    <# A value at a key path of the state, case-insensitive at every level, or $null. #>
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)][string[]]$Path)
    $node = $State
    foreach ($part in $Path) {
        $key = Find-SimStateKey -Table $node -Name $part
        if ($null -eq $key) { return $null }
        $node = $node[$key]
    }
    $node
}

function New-SimRandomHex {
    param([Parameter(Mandatory)][int]$Bytes)
    $buffer = [byte[]]::new($Bytes)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($buffer)
    [System.Convert]::ToHexString($buffer)
}

function Add-SimRegenerationFailedEvent {
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)][string]$Status)
    if (-not $State.Contains('events') -or $null -eq $State['events']) { $State['events'] = @() }
    $State['events'] = @($State['events']) + @([ordered]@{
            LogName = 'System'; ProviderName = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager'; Id = 1058; Level = 2
            TimeCreated = [datetime]::UtcNow.ToString('o')
            Message = "The RD Session Host Server has failed to replace the expired self signed certificate used for RD Session Host Server authentication on TLS connection. The relevant status code was $Status."
        })
}

# SessionEnv's token as it makes the certificate (LocalSystem, as a service): SYSTEM and its groups.
$script:SimSessionEnvTokenSids = @('S-1-5-18', 'S-1-5-32-544', 'S-1-1-0', 'S-1-5-11', 'S-1-5-6', 'S-1-2-0', 'S-1-5-80-0')

function Test-SimStoreCreateAllowed {
    <# Whether SessionEnv may add a certificate (a subkey of <store>\Certificates) by the store key's ACL in `registryAcl` (RegistryAcl.ps1). #>
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)][string]$Store)
    $acls = Get-SimSection -Key 'registryAcl' -State $State
    $storeKey = "HKLM:\SOFTWARE\Microsoft\SystemCertificates\$Store"
    foreach ($key in @("$storeKey\Certificates", $storeKey)) {
        $found = Find-SimStateKey -Table $acls -Name $key
        if ($null -ne $found) { return (Test-SimRegistryAccess -Spec $acls[$found] -Desired 4 -TokenSid $script:SimSessionEnvTokenSids) }
    }
    $true
}

function Invoke-SimCertificateRegeneration {
    <# Replaces a missing or expired self-signed RDP certificate, as SessionEnv does on start. #>
    param([Parameter(Mandatory)]$State)
    $setting = Get-SimStateValue -State $State -Path 'cim', 'root/cimv2/terminalservices:Win32_TSGeneralSetting', 'RDP-Tcp'
    if ($null -eq $setting -or [string]$setting['SSLCertificateSHA1HashType'] -ne '1') { return }
    $bound = ([string]$setting['SSLCertificateSHA1Hash']).ToUpperInvariant()
    $storeName = [string](Get-SimStateValue -State $State -Path 'registry', $script:SimWinStationsKey, 'SelfSignedCertStore')
    if (-not $storeName) { $storeName = 'Remote Desktop' }
    $storeKey = "LocalMachine\$storeName"
    $store = Get-SimStateValue -State $State -Path 'certificates', $storeKey
    $current = $null
    if ($bound -and $null -ne $store) {
        $thumbprint = Find-SimStateKey -Table $store -Name $bound
        if ($null -ne $thumbprint) { $current = $store[$thumbprint] }
    }
    if ($null -ne $current -and (ConvertTo-SimCertDate $current['NotAfter']) -gt [datetime]::Now) { return }

    $cryptSvc = Get-SimStateValue -State $State -Path 'cim', 'root/cimv2:Win32_Service', 'CryptSvc'
    if ($null -eq $cryptSvc -or [string]$cryptSvc['StartMode'] -eq 'Disabled') { Add-SimRegenerationFailedEvent -State $State -Status 'The service cannot be started (CryptSvc is disabled)'; return }
    if ($null -ne (Get-SimStateValue -State $State -Path 'faults', 'CertificateRegeneration')) { Add-SimRegenerationFailedEvent -State $State -Status 'Access is denied'; return }
    if (-not (Test-SimStoreCreateAllowed -State $State -Store $storeName)) { Add-SimRegenerationFailedEvent -State $State -Status 'Access is denied'; return }
    $machineGuid = Get-SimStateValue -State $State -Path 'registry', 'HKLM:\SOFTWARE\Microsoft\Cryptography', 'MachineGuid'
    if (-not $machineGuid) { Add-SimRegenerationFailedEvent -State $State -Status 'Keyset does not exist'; return }

    $computer = [string](Get-SimStateValue -State $State -Path 'env', 'COMPUTERNAME')
    if (-not $computer) { $computer = 'RDPHOST' }
    $now = [datetime]::UtcNow
    $thumbprint = New-SimRandomHex -Bytes 20
    $key = [ordered]@{ provider = 'csp'; container = 'TSSecKeySet1'; uniqueName = $script:SimRdpKeyPrefix + [string]$machineGuid }
    $certificate = [ordered]@{
        Thumbprint = $thumbprint; Subject = "CN=$computer"; Issuer = "CN=$computer"
        NotBefore = $now.AddMinutes(-10).ToString('o'); NotAfter = $now.AddDays(182).ToString('o')
        HasPrivateKey = $true; SerialNumber = (New-SimRandomHex -Bytes 16); FriendlyName = ''; key = $key
    }
    if (-not $State.Contains('certificates')) { $State['certificates'] = [ordered]@{} }
    if ($null -eq $store) { $store = [ordered]@{}; $State['certificates'][$storeKey] = $store }
    $store[$thumbprint] = $certificate

    # The new key goes into the same container (TSSecKeySet1), so into the same file: its ACL stays.
    if (-not $State.Contains('files')) { $State['files'] = [ordered]@{} }
    $path = Get-SimKeyFilePath -State $State -Key $key
    $fileKey = Find-SimStateKey -Table $State['files'] -Name $path
    if ($null -eq $fileKey) {
        $fileKey = $path
        $State['files'][$fileKey] = [ordered]@{
            owner = 'S-1-5-18'
            acl   = @(
                [ordered]@{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }
                [ordered]@{ IdentityReference = 'S-1-5-32-544'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }
                [ordered]@{ IdentityReference = 'S-1-5-20'; FileSystemRights = 'Read, Synchronize'; AccessControlType = 'Allow'; IsInherited = $false }
            )
        }
    }
    $State['files'][$fileKey]['publicKey'] = Get-SimCertPublicKeyId -Spec $certificate

    # Bind it: the WMI instance and the self-signed registry copy (WinStations\SelfSignedCertificate).
    $setting['SSLCertificateSHA1Hash'] = $thumbprint
    if (-not $State.Contains('registry')) { $State['registry'] = [ordered]@{} }
    $winStationsKey = Find-SimStateKey -Table $State['registry'] -Name $script:SimWinStationsKey
    if ($null -eq $winStationsKey) { $winStationsKey = $script:SimWinStationsKey; $State['registry'][$winStationsKey] = [ordered]@{} }
    $winStations = $State['registry'][$winStationsKey]
    $name = Find-SimStateKey -Table $winStations -Name 'SelfSignedCertificate'
    if ($null -eq $name) { $name = 'SelfSignedCertificate' }
    $winStations[$name] = [ordered]@{ binary = $thumbprint }
}
