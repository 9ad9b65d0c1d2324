# Reading the certificate the RDP-Tcp listener is bound to: shared by the certificate and key-access
# probes (and the certificate fix). Windows PowerShell 5.1 syntax only: this file ships.

Set-StrictMode -Version 3.0
# Module functions do not inherit the calling script's preference (probes run as `& script` in
# the warm session), so a non-terminating error here would slip past the probe's error mapping.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

function ConvertTo-RdpThumbprint {
    <#
    .SYNOPSIS
    A thumbprint in canonical form: upper-case hex only (drops spaces and invisible characters pasted with it).
    .OUTPUTS
    System.String, or $null when the value is empty.
    #>
    [CmdletBinding()]
    param([AllowNull()][AllowEmptyString()][string]$Value)
    if ($null -eq $Value) { return $null }
    $hex = ($Value -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
    if ($hex -eq '') { return $null }
    $hex
}

function ConvertTo-RdpRegistryThumbprint {
    <#
    .SYNOPSIS
    A REG_BINARY (or REG_SZ) thumbprint value as canonical hex; $null when absent.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([AllowNull()]$Raw)
    # REG_BINARY: Get-RdpRegistryValue's output unrolls the byte[] into object[], so test for any array.
    if ($Raw -is [array]) { return ConvertTo-RdpThumbprint (ConvertTo-RdpHex -Bytes ([byte[]]$Raw)) }
    if ($null -ne $Raw) { return ConvertTo-RdpThumbprint ([string]$Raw) }
    $null
}

function Get-RdpCertificateBinding {
    <#
    .SYNOPSIS
    The certificate RDP-Tcp is bound to: from WMI when it can be read, else from the registry.
    .DESCRIPTION
    Win32_TSGeneralSetting gives the hash and SSLCertificateSHA1HashType (1 self-signed, 2 group-policy
    template, 3 custom). The registry keeps the self-signed one in WinStations\SelfSignedCertificate
    (REG_BINARY, 20 bytes) with its store in WinStations\SelfSignedCertStore, and a custom one in
    RDP-Tcp\SSLCertificateSHA1Hash, which exists only for a custom certificate and then wins (KB3042780,
    Method 2). WMI is cross-checked with the registry's binding (custom, else self-signed). WMI may refuse
    an unelevated account: the registry's binding is then used and the refusal is in Wmi.
    .OUTPUTS
    PSCustomObject with BoundThumbprint, BindingType, BindingSource ('wmi', 'registry-custom',
    'registry-self-signed', 'none'), WmiThumbprint, RegistryThumbprint, CustomThumbprint,
    SelfSignedThumbprint, SelfSignedStore, ThumbprintsAgree, Wmi (Readable, ErrorKind, Error).
    #>
    [CmdletBinding()]
    param()
    $read = Get-RdpTsGeneralSetting
    $setting = $read.Instance
    if ($read.Readable -and $null -eq $setting) { throw (New-RdpProbeError -Kind 'not-found' -Message 'Win32_TSGeneralSetting has no RDP-Tcp instance: the RDP listener is not configured on this computer.') }
    $wmiThumbprint = $null
    $bindingType = $null
    if ($null -ne $setting) {
        if ($setting.PSObject.Properties['SSLCertificateSHA1Hash']) { $wmiThumbprint = ConvertTo-RdpThumbprint ([string]$setting.SSLCertificateSHA1Hash) }
        if ($setting.PSObject.Properties['SSLCertificateSHA1HashType'] -and $null -ne $setting.SSLCertificateSHA1HashType) { $bindingType = [int]$setting.SSLCertificateSHA1HashType }
    }

    $winStations = (Get-RdpPath -Name 'TerminalServer') + '\WinStations'
    $custom = ConvertTo-RdpRegistryThumbprint (Get-RdpRegistryValue -Path (Get-RdpPath -Name 'RdpTcp') -Name 'SSLCertificateSHA1Hash')
    $selfSigned = ConvertTo-RdpRegistryThumbprint (Get-RdpRegistryValue -Path $winStations -Name 'SelfSignedCertificate')
    $selfSignedStore = [string](Get-RdpRegistryValue -Path $winStations -Name 'SelfSignedCertStore')
    if (-not $selfSignedStore) { $selfSignedStore = 'Remote Desktop' }
    $registryThumbprint = $custom
    if ($null -eq $registryThumbprint) { $registryThumbprint = $selfSigned }

    $bound = $wmiThumbprint
    $source = 'wmi'
    if ($null -eq $bound) {
        $bound = $registryThumbprint
        $source = 'none'
        if ($null -ne $custom) { $source = 'registry-custom' } elseif ($null -ne $selfSigned) { $source = 'registry-self-signed' }
        # Without WMI the registry says which kind: only a self-signed binding is known for sure.
        if ($null -eq $bindingType -and $source -eq 'registry-self-signed') { $bindingType = 1 }
    }
    $agree = $null
    if ($null -ne $registryThumbprint -and $null -ne $wmiThumbprint) { $agree = ($registryThumbprint -eq $wmiThumbprint) }
    [PSCustomObject]@{
        BoundThumbprint      = $bound
        BindingType          = $bindingType
        BindingSource        = $source
        WmiThumbprint        = $wmiThumbprint
        RegistryThumbprint   = $registryThumbprint
        CustomThumbprint     = $custom
        SelfSignedThumbprint = $selfSigned
        SelfSignedStore      = $selfSignedStore
        ThumbprintsAgree     = $agree
        Wmi                  = $read
    }
}

function ConvertTo-RdpServiceSid {
    <#
    .SYNOPSIS
    A service's SID (NT SERVICE\<name>) derived from its name as `sc.exe showsid` does: S-1-5-80- and the
    SHA-1 of the upper-cased name in UTF-16LE, as five little-endian 32-bit numbers.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]+$')][string]$Name)
    $sha = [System.Security.Cryptography.SHA1]::Create()
    try { $hash = $sha.ComputeHash([System.Text.Encoding]::Unicode.GetBytes($Name.ToUpperInvariant())) } finally { $sha.Dispose() }
    'S-1-5-80-' + ((0..4 | ForEach-Object { [System.BitConverter]::ToUInt32($hash, $_ * 4) }) -join '-')
}

# What SessionEnv's token holds when it makes the self-signed certificate (LocalSystem, as a service):
# SYSTEM, Administrators, Everyone, Authenticated Users, SERVICE, LOCAL, NT SERVICE\ALL SERVICES; its
# own service SID is added. A Deny through any of them counts.
$script:SessionEnvTokenSids = @('S-1-5-18', 'S-1-5-32-544', 'S-1-1-0', 'S-1-5-11', 'S-1-5-6', 'S-1-2-0', 'S-1-5-80-0')
# RegistryRights bits that include creating a subkey: CreateSubKey, GENERIC_WRITE, GENERIC_ALL.
$script:CreateSubKeyMask = [int64]4 + [int64]0x40000000 + [int64]0x10000000

function Get-RdpStoreCreateDenial {
    <#
    .SYNOPSIS
    Whether a LocalMachine store's registry key forbids Windows to add a certificate to it: a Deny of
    CreateSubKey for a SID in SessionEnv's token (a hardening pattern that stops regeneration for good).
    .DESCRIPTION
    Each certificate of a LocalMachine store is a subkey of
    HKLM:\SOFTWARE\Microsoft\SystemCertificates\<store>\Certificates, the key Microsoft's "Access is
    denied" article reads with Get-Acl; when that key is absent Windows creates it under the store's key,
    whose ACL is read instead. Rules are read by SID (RegistryRights); a Deny that applies to the key
    itself (not InheritOnly) and includes CreateSubKey, GENERIC_WRITE or GENERIC_ALL counts.
    .OUTPUTS
    PSCustomObject with Key (the key read, $null when neither exists), Readable, Error, Denied (sid,
    rights, inherited) and Message (naming the key and the entries; $null when nothing is denied).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Store)
    $storeKey = "HKLM:\SOFTWARE\Microsoft\SystemCertificates\$Store"
    $result = [PSCustomObject]@{ Key = $null; Readable = $false; Error = $null; Denied = @(); Message = $null }
    $acl = $null
    foreach ($key in @("$storeKey\Certificates", $storeKey)) {
        try {
            $acl = Get-Acl -LiteralPath $key -ErrorAction Stop
            $result.Key = $key
            break
        } catch [System.Management.Automation.ItemNotFoundException] {
            continue
        } catch {
            $result.Key = $key
            $result.Error = ([string]$_.Exception.Message).Trim()
            return $result
        }
    }
    if ($null -eq $acl) { return $result }
    $result.Readable = $true
    $token = @($script:SessionEnvTokenSids) + @(ConvertTo-RdpServiceSid -Name 'SessionEnv')
    $denied = @()
    foreach ($rule in @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))) {
        if ($null -eq $rule -or [string]$rule.AccessControlType -ne 'Deny') { continue }
        if (([System.Security.AccessControl.PropagationFlags]$rule.PropagationFlags).HasFlag([System.Security.AccessControl.PropagationFlags]::InheritOnly)) { continue }
        $mask = [int64][int]$rule.RegistryRights
        if ($mask -lt 0) { $mask += [int64]4294967296 }
        $sid = [string]$rule.IdentityReference.Value
        if ($token -contains $sid -and ($mask -band $script:CreateSubKeyMask)) {
            $denied += [PSCustomObject][ordered]@{ sid = $sid; rights = [string]$rule.RegistryRights; inherited = [bool]$rule.IsInherited }
        }
    }
    $result.Denied = @($denied)
    if ($denied.Count -gt 0) {
        $entries = @($denied | ForEach-Object { "Deny $($_.rights) for $($_.sid)$(if ($_.inherited) { ' (inherited)' })" }) -join '; '
        $result.Message = "$($result.Key -replace '^HKLM:', 'HKLM') forbids Windows (SessionEnv, running as SYSTEM) to add a certificate: $entries."
    }
    $result
}

function Get-RdpStoreCertificate {
    <#
    .SYNOPSIS
    The certificates of one LocalMachine store, and whether it could be read, was refused or is absent.
    .DESCRIPTION
    Opened with X509Store and OpenExistingOnly: the Cert: provider reports a store this account may not
    open as "does not exist", X509Store tells them apart (0x80070005 access denied, 0x80070002 absent).
    .OUTPUTS
    PSCustomObject with Store, Access ('read', 'denied', 'absent', 'error'), Present, Error, Certificates.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Store)
    $result = [PSCustomObject]@{ Store = $Store; Access = 'read'; Present = $true; Error = $null; Certificates = @() }
    $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Store $Store, 'LocalMachine'
    try {
        $x509.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
        $result.Certificates = @($x509.Certificates)
    } catch {
        $exception = $_.Exception
        while ($null -ne $exception -and $exception -isnot [System.Security.Cryptography.CryptographicException]) { $exception = $exception.InnerException }
        if ($null -eq $exception) { throw }
        $result.Present = $false
        $result.Error = ([string]$exception.Message).Trim()
        $result.Access = 'error'
        if ($exception.HResult -eq 0x80070005) { $result.Access = 'denied'; $result.Present = $null }
        elseif ($exception.HResult -eq 0x80070002) { $result.Access = 'absent' }
    } finally {
        $x509.Close()
    }
    $result
}

function Get-RdpCertificateStoreName {
    <#
    .SYNOPSIS
    The stores the listener's certificate is looked up in, the likely one first.
    .DESCRIPTION
    A self-signed binding lives in the store WinStations\SelfSignedCertStore names ('Remote Desktop' by
    default; hardening guides change it); custom and template certificates in 'My'.
    .OUTPUTS
    System.String[]
    #>
    [CmdletBinding()]
    param([string]$SelfSignedStore = 'Remote Desktop', $BindingType = $null)
    $order = @($SelfSignedStore, 'My')
    if ($null -ne $BindingType -and [int]$BindingType -ne 1) { $order = @('My', $SelfSignedStore) }
    @($order | Select-Object -Unique)
}

function Find-RdpCertificate {
    <#
    .SYNOPSIS
    Looks a thumbprint up in store reads (Get-RdpStoreCertificate), in their order.
    .OUTPUTS
    PSCustomObject with Certificate, Store and FoundIn (every store that holds it), or $null.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Thumbprint, [Parameter(Mandatory)][AllowEmptyCollection()][object[]]$StoreRead)
    $first = $null
    $foundIn = @()
    foreach ($read in $StoreRead) {
        foreach ($certificate in @($read.Certificates)) {
            if ((ConvertTo-RdpThumbprint ([string]$certificate.Thumbprint)) -ne $Thumbprint) { continue }
            $foundIn += $read.Store
            if ($null -eq $first) { $first = [PSCustomObject]@{ Certificate = $certificate; Store = $read.Store } }
            break
        }
    }
    if ($null -eq $first) { return $null }
    [PSCustomObject]@{ Certificate = $first.Certificate; Store = $first.Store; FoundIn = @($foundIn) }
}

function Find-RdpBoundCertificate {
    <#
    .SYNOPSIS
    The bound certificate, looked up in the stores it can live in, with what each store read gave.
    .OUTPUTS
    PSCustomObject with Found (Find-RdpCertificate's result or $null) and Stores (Get-RdpStoreCertificate results).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Binding)
    $reads = @(foreach ($store in @(Get-RdpCertificateStoreName -SelfSignedStore $Binding.SelfSignedStore -BindingType $Binding.BindingType)) { Get-RdpStoreCertificate -Store $store })
    $found = $null
    if ($null -ne $Binding.BoundThumbprint) { $found = Find-RdpCertificate -Thumbprint $Binding.BoundThumbprint -StoreRead $reads }
    [PSCustomObject]@{ Found = $found; Stores = $reads }
}

function ConvertTo-RdpCertificateInfo {
    <#
    .SYNOPSIS
    The facts of one certificate as envelope data (camelCase, ISO dates).
    .OUTPUTS
    PSCustomObject with thumbprint, subject, issuer, notBefore, notAfter, selfSigned, hasPrivateKey,
    store, serialNumber, friendlyName.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Certificate, [Parameter(Mandatory)][string]$Store)
    [PSCustomObject][ordered]@{
        thumbprint    = ConvertTo-RdpThumbprint ([string]$Certificate.Thumbprint)
        subject       = [string]$Certificate.Subject
        issuer        = [string]$Certificate.Issuer
        notBefore     = ConvertTo-RdpIsoDate -Date $Certificate.NotBefore
        notAfter      = ConvertTo-RdpIsoDate -Date $Certificate.NotAfter
        selfSigned    = ([string]$Certificate.Subject -eq [string]$Certificate.Issuer)
        hasPrivateKey = [bool]$Certificate.HasPrivateKey
        store         = $Store
        serialNumber  = [string]$Certificate.SerialNumber
        friendlyName  = [string]$Certificate.FriendlyName
    }
}

Export-ModuleMember -Function ConvertTo-RdpThumbprint, ConvertTo-RdpServiceSid, Get-RdpStoreCreateDenial, Get-RdpCertificateBinding, Get-RdpStoreCertificate, Find-RdpCertificate, Find-RdpBoundCertificate, ConvertTo-RdpCertificateInfo, Get-RdpCertificateStoreName
