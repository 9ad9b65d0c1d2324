# Follows: Microsoft Learn X509Store.Open (CryptographicException 0x80070005 denied, 0x80070002 absent with OpenExistingOnly).
# X509Store on the simulated host, as System.Security.Cryptography.X509Certificates.X509Store behaves on
# Windows (learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509store.open):
# `New-Object System.Security.Cryptography.X509Certificates.X509Store <name>, LocalMachine` (the New-Object
# shadow in Acl.ps1 hands it here; `[X509Store]::new()` cannot be shadowed, so scripts use New-Object).
# Open(flags) throws CryptographicException with the Win32 HRESULT Windows gives: 0x80070005 "Access is
# denied." for a store in `host.adminOnly.certificateStores` the identity may not open (Identity.ps1),
# 0x80070002 "The system cannot find the file specified." for a store that does not exist under
# OpenExistingOnly. Without OpenExistingOnly a missing store is created empty when the identity is
# elevated (HKLM is admin-writable), else access denied. Certificates lists what the Cert: provider lists.
# Faults: 'X509Store.Open'.

$script:SimOpenExistingOnly = 4

function New-SimCryptographicException {
    <# A CryptographicException with a Win32 HRESULT and its message, as X509Store.Open throws on Windows. #>
    param([Parameter(Mandatory)][int]$HResult, [Parameter(Mandatory)][string]$Message)
    $exception = [System.Security.Cryptography.CryptographicException]::new($Message)
    [System.Exception].GetProperty('HResult').SetValue($exception, $HResult)
    $exception
}

function Open-SimX509Store {
    <# X509Store.Open: the certificates of the store, or the CryptographicException Windows throws. #>
    param([Parameter(Mandatory)]$Store, [int]$Flags)
    Invoke-SimFault -Command 'X509Store.Open'
    $storeKey = Find-SimCertStore -Location $Store.Location -Store $Store.Name
    $name = "$($Store.Location)\$($Store.Name)"
    if (Test-SimAdminOnly -Kind 'certificateStores' -Name $name) {
        throw (New-SimCryptographicException -HResult 0x80070005 -Message 'Access is denied.')
    }
    if ($null -eq $storeKey) {
        if (($Flags -band $script:SimOpenExistingOnly) -ne 0) {
            throw (New-SimCryptographicException -HResult 0x80070002 -Message 'The system cannot find the file specified.')
        }
        if (-not (Test-SimElevated)) { throw (New-SimCryptographicException -HResult 0x80070005 -Message 'Access is denied.') }
        $state = Get-SimState
        if (-not $state.Contains('certificates')) { $state['certificates'] = [ordered]@{} }
        $state['certificates'][$name] = [ordered]@{}
        Save-SimState -State $state
        return @()
    }
    $certificates = (Get-SimSection -Key 'certificates')[$storeKey]
    if ($null -eq $certificates) { return @() }
    @(foreach ($thumbprint in @($certificates.Keys)) { New-SimCertificate -StoreKey $storeKey -Spec $certificates[$thumbprint] })
}

function New-SimX509Store {
    <# The look-alike of X509Store(storeName, storeLocation): Name, Location, Open, Certificates, Close, Dispose. #>
    param([Parameter(Mandatory)][object[]]$ArgumentList)
    if ($ArgumentList.Count -ne 2) { throw [System.NotSupportedException]::new('The simulated X509Store takes (storeName, storeLocation).') }
    $location = [string]$ArgumentList[1]
    if ($location -notin @('LocalMachine', 'CurrentUser')) { throw [System.ArgumentException]::new("Unknown StoreLocation '$location'.") }
    $storeName = [string]$ArgumentList[0]
    $store = [PSCustomObject][ordered]@{ Name = $storeName; Location = $location; IsOpen = $false; Certificates = @() }
    $store.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.X509Certificates.X509Store')
    $store | Add-Member -MemberType ScriptMethod -Name Open -Value {
        param($flags)
        $this.Certificates = @(Open-SimX509Store -Store $this -Flags ([int]$flags))
        $this.IsOpen = $true
    }
    $store | Add-Member -MemberType ScriptMethod -Name Close -Value { $this.IsOpen = $false; $this.Certificates = @() }
    $store | Add-Member -MemberType ScriptMethod -Name Dispose -Value { $this.IsOpen = $false; $this.Certificates = @() }
    $store
}
