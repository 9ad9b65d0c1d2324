#Requires -Version 5.1
<#
.SYNOPSIS
Reads whether NETWORK SERVICE (S-1-5-20), the account TermService runs as, may read the private key
file of the certificate RDP-Tcp is bound to.

.DESCRIPTION
For the self-signed binding (SSLCertificateSHA1HashType 1) the key is the CSP container TSSecKeySet1,
file $env:ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_<MachineGuid>:
found without opening the key. Otherwise the key's unique name comes from the certificate
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
# Groups NETWORK SERVICE's token always holds: Everyone, Authenticated Users, BUILTIN\Users.
$script:NetworkServiceGroupSids = @('S-1-5-20', 'S-1-1-0', 'S-1-5-11', 'S-1-5-32-545')
# Self-signed RDP key: CSP container TSSecKeySet1, whose file name starts with this hash.
$script:RdpSelfSignedKeyPrefix = 'f686aace6942fb7f7ceb231212eef4a4_'
# FileSystemRights bits: ReadData, GENERIC_READ, GENERIC_ALL; FullControl.
$script:ReadMask = [int64]1 + [int64]2147483648 + [int64]268435456
$script:FullControlMask = [int64]2032127

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
    try {
        $candidates += [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    } catch {
        Write-Verbose "GetRSAPrivateKey could not open the key: $($_.Exception.Message)"
    }
    foreach ($key in $candidates) {
        if ($null -eq $key) { continue }
        $csp = $key.PSObject.Properties['CspKeyContainerInfo']
        if ($null -ne $csp -and $null -ne $csp.Value -and $csp.Value.UniqueKeyContainerName) {
            return [PSCustomObject]@{ Provider = 'csp'; UniqueName = [string]$csp.Value.UniqueKeyContainerName }
        }
        $cng = $key.PSObject.Properties['Key']
        if ($null -ne $cng -and $null -ne $cng.Value -and $cng.Value.UniqueName) {
            return [PSCustomObject]@{ Provider = 'cng'; UniqueName = [string]$cng.Value.UniqueName }
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

    $found = Find-RdpCertificate -Thumbprint $binding.BoundThumbprint -BindingType $binding.BindingType
    if ($null -ne $found) {
        $data.certificateFound = $true
        $data.certificateStore = $found.Store
        $data.hasPrivateKey = [bool]$found.Certificate.HasPrivateKey
    }

    if ($binding.BindingType -eq 1) {
        $machineGuid = Get-RdpRegistryValue -Path 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name 'MachineGuid'
        if (-not $machineGuid) { throw (New-RdpProbeError -Kind 'not-found' -Message 'HKLM:\SOFTWARE\Microsoft\Cryptography has no MachineGuid: the self-signed key file name cannot be derived.') }
        $data.keySource = 'rdp-self-signed'
        $data.keyUniqueName = $script:RdpSelfSignedKeyPrefix + [string]$machineGuid
        $data.candidates = @((Get-RdpCryptoFolder -Provider 'csp') + '\' + $data.keyUniqueName)
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
        if ($script:NetworkServiceGroupSids -contains $sid -and $reads) {
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
