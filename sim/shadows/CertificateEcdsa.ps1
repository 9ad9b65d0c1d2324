# Follows: Microsoft Learn ECDsaCertificateExtensions.GetECDsaPrivateKey (on Windows an ECDsaCng, whose Key is a CngKey: UniqueName, Provider), X509Certificate2.PrivateKey (RSA and DSA keys only) and "Key Storage and Retrieval" (CNG machine keys of the Microsoft Software Key Storage Provider in %ProgramData%\Microsoft\Crypto\Keys; CSPs hold no ECDSA keys).
# ECDSA certificates: a simulated certificate whose key has "algorithm": "ECDSA" (a CNG key: CSPs have
# none) throws NotSupportedException from PrivateKey (Certificates.ps1), as X509Certificate2 does, and
# opens through ECDsaCertificateExtensions.GetECDsaPrivateKey. The probes call that static method by
# its type name, which a PowerShell function cannot shadow, so while this module is loaded the type
# name resolves (a type accelerator) to SimECDsaCertificateExtensions: simulated certificates get an
# ECDsaCng-shaped key (KeySize, Key: CngKey-shaped UniqueName, KeyName, Provider.Provider) or $null
# for an RSA key, as Windows returns; a real X509Certificate2 goes to the real method.

$script:SimRealECDsaExtensions = [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]

function Get-SimECDsaPrivateKey {
    <# The ECDsaCng-shaped private key of a simulated certificate; $null when it has no ECDSA key. #>
    param([Parameter(Mandatory)]$Certificate)
    $key = $Certificate.SimKey
    if (-not $Certificate.HasPrivateKey -or $null -eq $key -or -not $key.Contains('algorithm') -or [string]$key['algorithm'] -ne 'ECDSA') { return $null }
    if ($key.Contains('denied') -and $key['denied']) { throw [System.UnauthorizedAccessException]::new('Access is denied. (simulated: opening the private key)') }
    $storage = if ($key.Contains('storageProvider')) { [string]$key['storageProvider'] } else { 'Microsoft Software Key Storage Provider' }
    $cngKey = [PSCustomObject]@{
        UniqueName = [string]$key['uniqueName']; KeyName = $(if ($key.Contains('container')) { [string]$key['container'] } else { $null }); IsMachineKey = $true
        Algorithm = 'ECDSA_P256'; Provider = [PSCustomObject]@{ Provider = $storage }
    }
    $cngKey.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.CngKey')
    $ecdsa = [PSCustomObject]@{ KeySize = 256; Key = $cngKey; SignatureAlgorithm = 'ECDsa' }
    $ecdsa.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.ECDsaCng')
    $ecdsa
}

class SimECDsaCertificateExtensions {
    static [object] GetECDsaPrivateKey([object]$certificate) {
        if ($certificate -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) { return $script:SimRealECDsaExtensions::GetECDsaPrivateKey($certificate) }
        return (Get-SimECDsaPrivateKey -Certificate $certificate)
    }
}

$script:SimTypeAccelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
$null = $script:SimTypeAccelerators::Remove('System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions')
$script:SimTypeAccelerators::Add('System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions', [SimECDsaCertificateExtensions])
