# Reading the certificate the RDP-Tcp listener is bound to: shared by the certificate and key-access
# probes (and the certificate fix). Windows PowerShell 5.1 syntax only: this file ships.

Set-StrictMode -Version 3.0
# Module functions do not inherit the calling script's preference (probes run as `& script` in
# the warm session), so a non-terminating error here would slip past the probe's error mapping.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

# Where the listener's certificate can live: the self-signed one in 'Remote Desktop', others in 'My'.
$script:RdpCertificateStores = @('Remote Desktop', 'My')

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

function Get-RdpCertificateBinding {
    <#
    .SYNOPSIS
    The certificate RDP-Tcp is bound to: WMI SSLCertificateSHA1Hash and its type, and the registry copy.
    .DESCRIPTION
    Win32_TSGeneralSetting gives the hash (hex string) and SSLCertificateSHA1HashType (1 self-signed,
    2 group-policy template, 3 custom). The REG_BINARY RDP-Tcp\SSLCertificateSHA1Hash, when present, is
    hex-encoded before it is compared. The bound thumbprint is the WMI value, else the registry one.
    .OUTPUTS
    PSCustomObject with BoundThumbprint, BindingType, WmiThumbprint, RegistryThumbprint, ThumbprintsAgree.
    #>
    [CmdletBinding()]
    param()
    $setting = Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName 'Win32_TSGeneralSetting' -Filter "TerminalName='RDP-Tcp'"
    if ($null -eq $setting) { throw (New-RdpProbeError -Kind 'not-found' -Message 'Win32_TSGeneralSetting has no RDP-Tcp instance: the RDP listener is not configured on this computer.') }
    $wmiThumbprint = $null
    $bindingType = $null
    if ($setting.PSObject.Properties['SSLCertificateSHA1Hash']) { $wmiThumbprint = ConvertTo-RdpThumbprint ([string]$setting.SSLCertificateSHA1Hash) }
    if ($setting.PSObject.Properties['SSLCertificateSHA1HashType'] -and $null -ne $setting.SSLCertificateSHA1HashType) { $bindingType = [int]$setting.SSLCertificateSHA1HashType }

    $registryThumbprint = $null
    $raw = Get-RdpRegistryValue -Path (Get-RdpPath -Name 'RdpTcp') -Name 'SSLCertificateSHA1Hash'
    # REG_BINARY: Get-RdpRegistryValue's output unrolls the byte[] into object[], so test for any array.
    if ($raw -is [array]) { $registryThumbprint = ConvertTo-RdpThumbprint (ConvertTo-RdpHex -Bytes ([byte[]]$raw)) }
    elseif ($null -ne $raw) { $registryThumbprint = ConvertTo-RdpThumbprint ([string]$raw) }

    $bound = $wmiThumbprint
    if ($null -eq $bound) { $bound = $registryThumbprint }
    $agree = $null
    if ($null -ne $registryThumbprint -and $null -ne $wmiThumbprint) { $agree = ($registryThumbprint -eq $wmiThumbprint) }
    [PSCustomObject]@{
        BoundThumbprint    = $bound
        BindingType        = $bindingType
        WmiThumbprint      = $wmiThumbprint
        RegistryThumbprint = $registryThumbprint
        ThumbprintsAgree   = $agree
    }
}

function Get-RdpStoreCertificate {
    <#
    .SYNOPSIS
    The certificates of one LocalMachine store, and whether the store exists at all.
    .OUTPUTS
    PSCustomObject with Store, Present, Certificates (X509Certificate2[]).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Store)
    try {
        $certificates = @(Get-ChildItem -LiteralPath "Cert:\LocalMachine\$Store" -ErrorAction Stop)
        [PSCustomObject]@{ Store = $Store; Present = $true; Certificates = $certificates }
    } catch [System.Management.Automation.ItemNotFoundException] {
        [PSCustomObject]@{ Store = $Store; Present = $false; Certificates = @() }
    }
}

function Find-RdpCertificate {
    <#
    .SYNOPSIS
    Looks a thumbprint up in the RDP certificate stores, the likely store first.
    .DESCRIPTION
    A type 1 (self-signed) binding lives in 'Remote Desktop'; custom and template certificates in 'My'.
    .OUTPUTS
    PSCustomObject with Certificate, Store and FoundIn (every store that holds it), or $null.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Thumbprint, $BindingType = $null)
    $order = $script:RdpCertificateStores
    if ($null -ne $BindingType -and [int]$BindingType -ne 1) { $order = @('My', 'Remote Desktop') }
    $first = $null
    $foundIn = @()
    foreach ($store in $order) {
        try {
            $certificate = Get-Item -LiteralPath "Cert:\LocalMachine\$store\$Thumbprint" -ErrorAction Stop
        } catch [System.Management.Automation.ItemNotFoundException] {
            continue
        }
        $foundIn += $store
        if ($null -eq $first) { $first = [PSCustomObject]@{ Certificate = $certificate; Store = $store } }
    }
    if ($null -eq $first) { return $null }
    [PSCustomObject]@{ Certificate = $first.Certificate; Store = $first.Store; FoundIn = @($foundIn) }
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

function Get-RdpCertificateStoreName {
    <#
    .SYNOPSIS
    The stores the listener's certificate is looked up in, in order.
    .OUTPUTS
    System.String[]
    #>
    [CmdletBinding()]
    param()
    $script:RdpCertificateStores
}

Export-ModuleMember -Function ConvertTo-RdpThumbprint, Get-RdpCertificateBinding, Get-RdpStoreCertificate, Find-RdpCertificate, ConvertTo-RdpCertificateInfo, Get-RdpCertificateStoreName
