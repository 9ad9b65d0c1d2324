#Requires -Version 5.1
<#
.SYNOPSIS
Reads whether TermService (running as NETWORK SERVICE, S-1-5-20) may read the private key file of the
certificate RDP-Tcp is bound to: a grant or Deny through any SID in its token counts (NETWORK SERVICE,
its groups, SERVICE, LOCAL, NT SERVICE\ALL SERVICES, NT SERVICE\TermService and, in a shared svchost,
the co-hosted services' SIDs).

.DESCRIPTION
For the self-signed binding (SSLCertificateSHA1HashType 1) the key is the CSP container TSSecKeySet1,
file $env:ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_*: listed by
that prefix, as Microsoft's tools do (an imaged machine keeps the name of its old MachineGuid), without
opening the key; several are reported, the current MachineGuid's chosen when it is among them. Otherwise the key's unique name comes from the certificate
(PrivateKey.CspKeyContainerInfo.UniqueKeyContainerName for CSP keys, in Crypto\RSA\MachineKeys;
Key.UniqueName for CNG keys, in Crypto\Keys; GetRSAPrivateKey as the fallback). A key that cannot be
opened, or an ACL that cannot be read, is the error kind access-denied: it needs elevation.
ACL rules are read by SID, never by account name (names are localized).

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"key-access","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../certificate/RdpHealth.Certificate.psm1')

$script:NetworkServiceSid = 'S-1-5-20'
$script:SystemSid = 'S-1-5-18'
# What TermService's token (NETWORK SERVICE, as a service) always holds: NETWORK SERVICE, Everyone,
# Authenticated Users, BUILTIN\Users, SERVICE, This Organization, LOCAL, NT SERVICE\ALL SERVICES; its
# own service SID and those of services sharing its svchost are added (Get-RdpTermServiceTokenSid).
$script:NetworkServiceGroupSids = @('S-1-5-20', 'S-1-1-0', 'S-1-5-11', 'S-1-5-32-545', 'S-1-5-6', 'S-1-5-15', 'S-1-2-0', 'S-1-5-80-0')
# Self-signed RDP key: CSP container TSSecKeySet1, whose file name starts with this hash.
$script:RdpSelfSignedKeyPrefix = 'f686aace6942fb7f7ceb231212eef4a4_'
# FileSystemRights bits: ReadData, GENERIC_READ, GENERIC_ALL; FullControl.
$script:ReadMask = [int64]1 + [int64]2147483648 + [int64]268435456
$script:FullControlMask = [int64]2032127
# The CNG provider that keeps keys in files (Crypto\Keys); others (Platform Crypto Provider: TPM) do not.
$script:SoftwareKeyStorageProvider = 'Microsoft Software Key Storage Provider'

function Get-RdpCryptoFolder {
    <#
    .SYNOPSIS
    The machine key folder for a key provider: CSP keys in Crypto\RSA\MachineKeys, CNG keys in Crypto\Keys.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateSet('csp', 'cng')][string]$Provider)
    # String joins, not Join-Path: the path is a Windows path wherever the script is tested.
    $root = ([string]$env:ProgramData).TrimEnd('\') + '\Microsoft\Crypto'
    if ($Provider -eq 'csp') { return "$root\RSA\MachineKeys" }
    "$root\Keys"
}

function Get-RdpTermServiceTokenSid {
    <#
    .SYNOPSIS
    The service SIDs in TermService's token: its own (NT SERVICE\TermService) and, in a shared svchost,
    those of the services that run in the same process.
    .OUTPUTS
    PSCustomObject[] with name, sid.
    #>
    [CmdletBinding()]
    param()
    $names = @('TermService')
    $termService = @(Get-RdpServiceState -Name 'TermService')[0]
    if ($termService.Present -and $termService.ProcessId -gt 0) {
        $names += @(Get-CimInstance -ClassName Win32_Service -Filter "ProcessId = $([int]$termService.ProcessId)" | ForEach-Object { [string]$_.Name } | Where-Object { $_ -and $_ -ne 'TermService' } | Sort-Object -Unique)
    }
    @(foreach ($name in $names) { [PSCustomObject][ordered]@{ name = $name; sid = ConvertTo-RdpServiceSid -Name $name } })
}

function Find-RdpSelfSignedKeyFile {
    <#
    .SYNOPSIS
    The self-signed RDP key file, listed by its prefix f686aace6942fb7f7ceb231212eef4a4_* as Microsoft's
    tools match it: an imaged or cloned machine keeps the file named after the MachineGuid it had.
    .DESCRIPTION
    One file: that one. Several: the one named after the current MachineGuid, if any (the others are
    reported); else none is chosen. Listing MachineKeys needs no rights on the files.
    .OUTPUTS
    PSCustomObject with File ($null when none or no single one), Matches (full paths), Expected.
    #>
    [CmdletBinding()]
    param()
    $folder = Get-RdpCryptoFolder -Provider 'csp'
    $machineGuid = Get-RdpRegistryValue -Path 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name 'MachineGuid'
    $expected = $null
    if ($machineGuid) { $expected = "$folder\$($script:RdpSelfSignedKeyPrefix)$machineGuid" }
    $listed = @()
    try {
        $listed = @(Get-ChildItem -LiteralPath $folder -Filter ($script:RdpSelfSignedKeyPrefix + '*') -File -ErrorAction Stop | ForEach-Object { "$folder\$($_.Name)" } | Sort-Object)
    } catch [System.Management.Automation.ItemNotFoundException] {
        Write-Verbose "No machine key folder $($folder)."
    }
    $file = $null
    if ($listed.Count -eq 1) { $file = $listed[0] }
    elseif ($null -ne $expected) { $file = $listed | Where-Object { $_ -ieq $expected } | Select-Object -First 1 }
    if ($null -eq $expected) { $expected = "$folder\$($script:RdpSelfSignedKeyPrefix)*" }
    [PSCustomObject]@{ File = $file; Matches = @($listed); Expected = $expected }
}

function Get-RdpPrivateKeyName {
    <#
    .SYNOPSIS
    Opens a certificate's private key to learn its unique (file) name and provider.
    .OUTPUTS
    PSCustomObject with Provider ('csp' or 'cng') and UniqueName. Throws access-denied when the key cannot be opened.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Certificate, [Parameter(Mandatory)][string]$Thumbprint)
    $candidates = @()
    try { $candidates += $Certificate.PrivateKey } catch { Write-Verbose "PrivateKey could not be opened: $($_.Exception.Message)" }
    # PrivateKey knows RSA and DSA only (an ECDSA key throws NotSupportedException): ask for both kinds.
    foreach ($extension in @('RSACertificateExtensions', 'ECDsaCertificateExtensions')) {
        try {
            $type = "System.Security.Cryptography.X509Certificates.$extension" -as [type]
            if ($null -eq $type) { continue }
            $method = 'GetRSAPrivateKey'
            if ($extension -like 'ECDsa*') { $method = 'GetECDsaPrivateKey' }
            $candidates += $type::$method($Certificate)
        } catch {
            Write-Verbose "$extension could not open the key: $($_.Exception.Message)"
        }
    }
    foreach ($key in $candidates) {
        if ($null -eq $key) { continue }
        $csp = $key.PSObject.Properties['CspKeyContainerInfo']
        if ($null -ne $csp -and $null -ne $csp.Value -and $csp.Value.UniqueKeyContainerName) {
            return [PSCustomObject]@{ Provider = 'csp'; UniqueName = [string]$csp.Value.UniqueKeyContainerName; StorageProvider = [string]$csp.Value.ProviderName; FileBacked = $true }
        }
        $cng = $key.PSObject.Properties['Key']
        if ($null -ne $cng -and $null -ne $cng.Value) {
            $storage = $null
            try { $storage = [string]$cng.Value.Provider.Provider } catch { Write-Verbose 'The key storage provider is not readable.' }
            # Only the software provider keeps a key in a file; a TPM or smart card key has no file ACL.
            if ($storage -and $storage -ne $script:SoftwareKeyStorageProvider) {
                return [PSCustomObject]@{ Provider = 'cng'; UniqueName = [string]$cng.Value.UniqueName; StorageProvider = $storage; FileBacked = $false }
            }
            if ($cng.Value.UniqueName) { return [PSCustomObject]@{ Provider = 'cng'; UniqueName = [string]$cng.Value.UniqueName; StorageProvider = $storage; FileBacked = $true } }
        }
    }
    throw (New-RdpProbeError -Kind 'access-denied' -Message "Could not open the private key of certificate $Thumbprint to find its file: needs elevation to read.")
}

function Get-RdpKeyFileAcl {
    <#
    .SYNOPSIS
    The ACL of the first candidate key file that exists.
    .OUTPUTS
    PSCustomObject with File and Acl ($null when no candidate exists). Throws access-denied when the ACL cannot be read.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string[]]$Candidate)
    foreach ($file in $Candidate) {
        try {
            $acl = Get-Acl -LiteralPath $file -ErrorAction Stop
            return [PSCustomObject]@{ File = $file; Acl = $acl }
        } catch [System.Management.Automation.ItemNotFoundException] {
            continue
        } catch {
            if ((Get-RdpErrorKind -ErrorRecord $_) -eq 'access-denied') {
                throw (New-RdpProbeError -Kind 'access-denied' -Message "Could not read the permissions of $($file): needs elevation to read.")
            }
            throw
        }
    }
    [PSCustomObject]@{ File = $null; Acl = $null }
}

function ConvertTo-RdpRightsMask {
    <#
    .SYNOPSIS
    FileSystemRights as an unsigned 32-bit number (generic rights are negative as Int32).
    .OUTPUTS
    System.Int64
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Rights)
    $mask = [int64][int]$Rights
    if ($mask -lt 0) { $mask += [int64]4294967296 }
    $mask
}

Invoke-RdpProbe -Name 'key-access' -Body {
    $binding = Get-RdpCertificateBinding
    $data = [ordered]@{
        boundThumbprint      = $binding.BoundThumbprint
        bindingType          = $binding.BindingType
        certificateFound     = $false
        certificateStore     = $null
        hasPrivateKey        = $null
        keySource            = 'none'
        keyUniqueName        = $null
        keyFile              = $null
        candidates           = @()
        prefixMatches        = @()
        serviceSids          = @()
        keyStorageProvider   = $null
        fileFound            = $false
        owner                = $null
        rules                = @()
        networkServiceRead   = $false
        networkServiceRule   = $false
        readGrantedBy        = @()
        readDeniedBy         = @()
        systemFullControl    = $false
        reason               = $null
    }
    if ($null -eq $binding.BoundThumbprint) {
        $data.reason = 'no-binding'
        return [PSCustomObject]$data
    }

    $found = (Find-RdpBoundCertificate -Binding $binding).Found
    if ($null -ne $found) {
        $data.certificateFound = $true
        $data.certificateStore = $found.Store
        $data.hasPrivateKey = [bool]$found.Certificate.HasPrivateKey
    }

    if ($binding.BindingType -eq 1) {
        $data.keySource = 'rdp-self-signed'
        $keyFiles = Find-RdpSelfSignedKeyFile
        $data.prefixMatches = @($keyFiles.Matches)
        if ($null -eq $keyFiles.File) {
            $data.keyFile = $keyFiles.Expected
            $data.reason = 'key-file-missing'
            if ($keyFiles.Matches.Count -gt 1) { $data.reason = 'several-key-files' }
            return [PSCustomObject]$data
        }
        $data.keyUniqueName = Split-Path -Leaf $keyFiles.File
        $data.candidates = @($keyFiles.File)
    } else {
        if ($null -eq $found) {
            $data.reason = 'certificate-missing'
            return [PSCustomObject]$data
        }
        if (-not $data.hasPrivateKey) {
            $data.reason = 'no-private-key'
            return [PSCustomObject]$data
        }
        $key = Get-RdpPrivateKeyName -Certificate $found.Certificate -Thumbprint $binding.BoundThumbprint
        $data.keySource = $key.Provider
        $data.keyUniqueName = $key.UniqueName
        $data.keyStorageProvider = $key.StorageProvider
        if (-not $key.FileBacked) {
            $data.reason = 'not-file-backed'
            return [PSCustomObject]$data
        }
        # A CNG handle can front a legacy CSP key: look in both folders, the provider's own first.
        $folders = @('csp')
        if ($key.Provider -eq 'cng') { $folders = @('cng', 'csp') }
        $data.candidates = @(foreach ($folder in $folders) { (Get-RdpCryptoFolder -Provider $folder) + '\' + $key.UniqueName })
    }

    $read = Get-RdpKeyFileAcl -Candidate $data.candidates
    if ($null -eq $read.Acl) {
        $data.keyFile = $data.candidates[0]
        $data.reason = 'key-file-missing'
        return [PSCustomObject]$data
    }
    $data.keyFile = $read.File
    $data.fileFound = $true
    try { $data.owner = [string]$read.Acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value } catch { Write-Verbose "Owner not readable: $($_.Exception.Message)" }

    $data.serviceSids = @(Get-RdpTermServiceTokenSid)
    $tokenSids = @($script:NetworkServiceGroupSids) + @($data.serviceSids | ForEach-Object { $_.sid })
    $rules = @()
    $grantedBy = @()
    $deniedBy = @()
    foreach ($rule in @($read.Acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))) {
        if ($null -eq $rule) { continue }
        $sid = [string]$rule.IdentityReference.Value
        $mask = ConvertTo-RdpRightsMask -Rights $rule.FileSystemRights
        $type = [string]$rule.AccessControlType
        $rules += [PSCustomObject][ordered]@{
            sid        = $sid
            rights     = [string]$rule.FileSystemRights
            rightsMask = $mask
            type       = $type
            inherited  = [bool]$rule.IsInherited
        }
        $reads = ($mask -band $script:ReadMask) -ne 0
        if ($tokenSids -contains $sid -and $reads) {
            if ($type -eq 'Deny') { $deniedBy += $sid } else { $grantedBy += $sid }
            if ($type -eq 'Allow' -and $sid -eq $script:NetworkServiceSid) { $data.networkServiceRule = $true }
        }
        $full = (($mask -band $script:FullControlMask) -eq $script:FullControlMask) -or (($mask -band [int64]268435456) -ne 0)
        if ($sid -eq $script:SystemSid -and $type -eq 'Allow' -and $full) { $data.systemFullControl = $true }
    }
    $data.rules = @($rules)
    $data.readGrantedBy = @($grantedBy | Select-Object -Unique)
    $data.readDeniedBy = @($deniedBy | Select-Object -Unique)
    $data.networkServiceRead = ($grantedBy.Count -gt 0 -and $deniedBy.Count -eq 0)
    [PSCustomObject]$data
}
