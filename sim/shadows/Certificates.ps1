# Follows: Microsoft Learn about_Certificate_Provider and the X509Certificate2, RSACryptoServiceProvider.CspKeyContainerInfo and RSACng.Key (CngKey) class references.
# Certificate provider shadows: Get-ChildItem (also for HKCU:/HKLM: keys and C:\ folders of simulated files: ClientFiles.ps1, Files.ps1), Get-Item and Remove-Item for Cert:\ paths,
# Import-Certificate and `certutil.exe -repairstore`, from the scenario's `certificates` section, keyed by
# store ("LocalMachine\My") then thumbprint:
#   "certificates": { "LocalMachine\\My": { "<THUMBPRINT>": { "Thumbprint": "...", "Subject": "CN=x",
#     "Issuer": "CN=x", "NotBefore": "now-10d", "NotAfter": "now+355d", "HasPrivateKey": true,
#     "SerialNumber": "..", "FriendlyName": "", "PublicKey": "<id, optional>", "key": { "provider": "csp" | "cng",
#     "container": "TSSecKeySet1", "uniqueName": "<file name>", "denied": false, "storageProvider": "<cng only>",
#     "algorithm": "RSA" (default) | "ECDSA" (cng only: CertificateEcdsa.ps1) } } } }
# Objects carry X509Certificate2's property names. PrivateKey is shaped like RSACryptoServiceProvider
# (csp: .CspKeyContainerInfo.UniqueKeyContainerName) or RSACng (cng: .Key.UniqueName); with
# key.denied it throws UnauthorizedAccessException, as opening a machine key without rights does.
# RawData is the simulated DER: "SIMCERT1:" + JSON of the public facts (no key location, no friendly
# name, as in a real .cer), so Import-Certificate brings a certificate back WITHOUT its private key.
# Keys: a certificate's public key is its `PublicKey` id (default "sim-key:<thumbprint>"). The key file
# (`files`, see Acl.ps1) holds the key whose id is its `publicKey`; a file without one holds whatever
# key the scenario pairs with it. Remove-Item leaves the key behind (like Windows, unless -DeleteKey)
# and remembers it in `orphanedKeys` ({ "<public key id>": <key> }); `certutil -repairstore <store>
# <thumbprint>` links a certificate back to such a key when the key file still holds that key.
# A store in `host.adminOnly.certificateStores` that the identity may not open (Identity.ps1) is, to the
# Cert: provider, a path that does not exist (ItemNotFoundException), as on Windows; X509Store.Open
# tells the two apart (X509Store.ps1).
# Faults: 'Get-ChildItem' / 'Get-Item' / 'Remove-Item' apply to Cert:\ paths only; 'Import-Certificate',
# 'certutil'. Other paths go to the real cmdlets.
# This file: the stores as the Cert: provider shows them (Get-ChildItem, Get-Item) and the helpers the
# changes share; Remove-Item, Import-Certificate and certutil are in CertificateStoreChanges.ps1.

$script:SimCertProviderPrefix = 'Microsoft.PowerShell.Security\Certificate::'

function Test-SimCertPath {
    param([string]$Path)
    $Path -match '^(?:Microsoft\.PowerShell\.Security\\)?(?:Cert:|Certificate::)'
}

function Split-SimCertPath {
    <# Cert:\LocalMachine\My\<thumb> -> @{ Location; Store; Thumbprint; Depth } (Depth 0 = Cert:\). #>
    param([Parameter(Mandatory)][string]$Path)
    $rest = $Path -replace '^(?:Microsoft\.PowerShell\.Security\\)?(?:Cert:|Certificate::)', ''
    $parts = @($rest -split '[\\/]' | Where-Object { $_ })
    @{
        Location   = $(if ($parts.Count -ge 1) { $parts[0] } else { $null })
        Store      = $(if ($parts.Count -ge 2) { $parts[1] } else { $null })
        Thumbprint = $(if ($parts.Count -ge 3) { $parts[2] } else { $null })
        Depth      = $parts.Count
    }
}

function Find-SimCertStore {
    <# The scenario's spelling of "<Location>\<Store>", or $null when the store does not exist. #>
    param([string]$Location, [string]$Store)
    Find-SimStateKey -Table (Get-SimSection -Key 'certificates') -Name "$Location\$Store"
}

function Get-SimPrivateKey {
    <# The PrivateKey of a simulated certificate: RSACryptoServiceProvider- or RSACng-shaped. #>
    param($Certificate)
    $key = $Certificate.SimKey
    if (-not $Certificate.HasPrivateKey -or $null -eq $key) { return $null }
    if ($key.Contains('denied') -and $key['denied']) {
        throw [System.UnauthorizedAccessException]::new('Access is denied. (simulated: opening the private key)')
    }
    # X509Certificate2.PrivateKey knows RSA and DSA keys only (CertificateEcdsa.ps1 opens an ECDSA one).
    if ($key.Contains('algorithm') -and [string]$key['algorithm'] -eq 'ECDSA') { throw [System.NotSupportedException]::new('The certificate key algorithm is not supported.') }
    $provider = if ($key.Contains('provider')) { [string]$key['provider'] } else { 'csp' }
    $container = if ($key.Contains('container')) { [string]$key['container'] } else { $null }
    $uniqueName = [string]$key['uniqueName']
    if ($provider -eq 'cng') {
        # key.storageProvider: the CNG key storage provider (a TPM key: 'Microsoft Platform Crypto Provider').
        $storage = if ($key.Contains('storageProvider')) { [string]$key['storageProvider'] } else { 'Microsoft Software Key Storage Provider' }
        $cngKey = [PSCustomObject]@{
            UniqueName = $uniqueName; KeyName = $container; IsMachineKey = $true
            Provider = [PSCustomObject]@{ Provider = $storage }
        }
        $cngKey.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.CngKey')
        $rsa = [PSCustomObject]@{ KeySize = 2048; Key = $cngKey; SignatureAlgorithm = 'RSA' }
        $rsa.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.RSACng')
        return $rsa
    }
    $info = [PSCustomObject]@{
        UniqueKeyContainerName = $uniqueName; KeyContainerName = $container; MachineKeyStore = $true
        ProviderName = 'Microsoft Enhanced RSA and AES Cryptographic Provider'; ProviderType = 24
    }
    $info.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.CspKeyContainerInfo')
    $rsa = [PSCustomObject]@{ KeySize = 2048; CspKeyContainerInfo = $info; PersistKeyInCsp = $true }
    $rsa.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.RSACryptoServiceProvider')
    $rsa
}

function ConvertTo-SimCertDate {
    <# A scenario date: relative ('now-3d'), ISO text, or a DateTime (ISO text comes back from JSON as one). #>
    param([Parameter(Mandatory)]$Value)
    if ($Value -is [datetime]) { return $Value }
    ConvertTo-SimDate ([string]$Value)
}

function Get-SimCertPublicKeyId {
    <# The id of a certificate's public key (what its private key must match). #>
    param([Parameter(Mandatory)]$Spec)
    if ($Spec.Contains('PublicKey') -and $Spec['PublicKey']) { return [string]$Spec['PublicKey'] }
    'sim-key:' + ([string]$Spec['Thumbprint']).ToUpperInvariant()
}

function ConvertTo-SimCertRawData {
    <# The simulated DER of a certificate: its public facts only. #>
    param([Parameter(Mandatory)]$Spec)
    $public = [ordered]@{}
    foreach ($name in 'Thumbprint', 'Subject', 'Issuer', 'NotBefore', 'NotAfter', 'SerialNumber') {
        $value = $Spec[$name]
        if ($value -is [datetime]) { $value = $value.ToUniversalTime().ToString('o') }
        $public[$name] = $value
    }
    $public['PublicKey'] = Get-SimCertPublicKeyId -Spec $Spec
    [System.Text.Encoding]::UTF8.GetBytes('SIMCERT1:' + (ConvertTo-Json -InputObject $public -Compress))
}

function New-SimCertificate {
    <# One certificate as the Cert: provider returns it (X509Certificate2 property names). #>
    param([Parameter(Mandatory)][string]$StoreKey, [Parameter(Mandatory)]$Spec)
    $thumbprint = ([string]$Spec['Thumbprint']).ToUpperInvariant()
    $parent = "$script:SimCertProviderPrefix$StoreKey"
    $certificate = [PSCustomObject][ordered]@{
        Thumbprint    = $thumbprint
        Subject       = [string]$Spec['Subject']
        Issuer        = [string]$Spec['Issuer']
        NotBefore     = ConvertTo-SimCertDate $Spec['NotBefore']
        NotAfter      = ConvertTo-SimCertDate $Spec['NotAfter']
        HasPrivateKey = [bool]$Spec['HasPrivateKey']
        SerialNumber  = [string]$Spec['SerialNumber']
        FriendlyName  = $(if ($Spec.Contains('FriendlyName')) { [string]$Spec['FriendlyName'] } else { '' })
        RawData       = [byte[]](ConvertTo-SimCertRawData -Spec $Spec)
        PSPath        = "$parent\$thumbprint"
        PSParentPath  = $parent
        PSChildName   = $thumbprint
        PSIsContainer = $false
    }
    $certificate.PSObject.TypeNames.Insert(0, 'System.Security.Cryptography.X509Certificates.X509Certificate2')
    $certificate | Add-Member -MemberType NoteProperty -Name SimKey -Value $(if ($Spec.Contains('key')) { $Spec['key'] } else { $null })
    $certificate | Add-Member -MemberType ScriptProperty -Name PrivateKey -Value { Get-SimPrivateKey -Certificate $this }
    $certificate
}

function New-SimCertContainer {
    <# A store location (LocalMachine) or a store (My), as the provider lists them. #>
    param([string]$Name, [string]$Parent)
    $path = if ($Parent) { "$script:SimCertProviderPrefix$Parent\$Name" } else { "$script:SimCertProviderPrefix$Name" }
    [PSCustomObject]@{ Name = $Name; PSPath = $path; PSChildName = $Name; PSIsContainer = $true }
}

function Get-SimCertItem {
    <# Everything at or below a Cert:\ path: @{ Found; Self; Children }. #>
    param([Parameter(Mandatory)][string]$Path)
    $parts = Split-SimCertPath -Path $Path
    $section = Get-SimSection -Key 'certificates'
    $storeKeys = @($section.Keys)
    if ($parts.Depth -eq 0) {
        $locations = @($storeKeys | ForEach-Object { ($_ -split '\\')[0] } | Sort-Object -Unique)
        return @{ Found = $true; Self = (New-SimCertContainer -Name '\'); Children = @($locations | ForEach-Object { New-SimCertContainer -Name $_ }) }
    }
    if ($parts.Depth -eq 1) {
        $stores = @($storeKeys | Where-Object { ($_ -split '\\')[0] -ieq $parts.Location })
        if ($stores.Count -eq 0) { return @{ Found = $false } }
        $location = ($stores[0] -split '\\')[0]
        return @{ Found = $true; Self = (New-SimCertContainer -Name $location); Children = @($stores | ForEach-Object { New-SimCertContainer -Name ($_ -split '\\', 2)[1] -Parent $location }) }
    }
    $storeKey = Find-SimCertStore -Location $parts.Location -Store $parts.Store
    if ($null -eq $storeKey) { return @{ Found = $false } }
    # An unopenable store: the provider cannot resolve the path and says it does not exist.
    if (Test-SimAdminOnly -Kind 'certificateStores' -Name $storeKey) { return @{ Found = $false } }
    $certificates = $section[$storeKey]
    if ($null -eq $certificates) { $certificates = [ordered]@{} }
    if ($parts.Depth -eq 2) {
        $location, $store = $storeKey -split '\\', 2
        return @{ Found = $true; Self = (New-SimCertContainer -Name $store -Parent $location); Children = @($certificates.Keys | ForEach-Object { New-SimCertificate -StoreKey $storeKey -Spec $certificates[$_] }) }
    }
    foreach ($thumbprint in $certificates.Keys) {
        if ($thumbprint -ieq $parts.Thumbprint) {
            $certificate = New-SimCertificate -StoreKey $storeKey -Spec $certificates[$thumbprint]
            return @{ Found = $true; Self = $certificate; Children = @() }
        }
    }
    @{ Found = $false }
}

function Assert-SimCertNoFilter {
    param([string]$Filter)
    if ($Filter) { throw [System.Management.Automation.PSNotSupportedException]::new('Cannot call method. The provider does not support the use of filters.') }
}

function Get-SimKeyFilePath {
    <# Where Windows keeps a machine key: CSP keys in Crypto\RSA\MachineKeys, CNG keys in Crypto\Keys. #>
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)]$Key)
    $programData = [string](Get-SimSection -Key 'env' -State $State)['ProgramData']
    if (-not $programData) { $programData = 'C:\ProgramData' }
    $provider = if ($Key.Contains('provider')) { [string]$Key['provider'] } else { 'csp' }
    $folder = if ($provider -eq 'cng') { 'Microsoft\Crypto\Keys' } else { 'Microsoft\Crypto\RSA\MachineKeys' }
    "$($programData.TrimEnd('\'))\$folder\$([string]$Key['uniqueName'])"
}

function Get-ChildItem {
    [CmdletBinding(DefaultParameterSetName = 'Items')]
    param(
        [Parameter(ParameterSetName = 'Items', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralItems', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [Alias('s')][switch]$Recurse,
        [uint32]$Depth,
        [switch]$Force,
        [switch]$Name,
        [System.Management.Automation.FlagsExpression[System.IO.FileAttributes]]$Attributes,
        [Alias('ad', 'd')][switch]$Directory,
        [Alias('af')][switch]$File,
        [Alias('ah', 'h')][switch]$Hidden,
        [Alias('ar')][switch]$ReadOnly,
        [Alias('as')][switch]$System,
        [switch]$FollowSymlink
    )
    process {
        $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Items') { $Path } else { $LiteralPath })
        # Registry keys (ClientFiles.ps1) and folders of simulated files (Files.ps1).
        if ($paths.Count -gt 0 -and (Test-SimRegistryPath $paths[0])) { Get-SimRegistryChildItem -Path $paths -Name:$Name; return }
        if ($paths.Count -gt 0 -and (Test-SimHostActive) -and (Test-SimFilePath $paths[0]) -and -not $Recurse -and -not $Directory) {
            foreach ($one in $paths) {
                $children = Get-SimFileChildItem -Folder $one -Filter $Filter
                if ($null -eq $children) { $PSCmdlet.WriteError((New-SimItemNotFound $one)); continue }
                foreach ($child in $children) { if ($Name) { $child.Name } else { $child } }
            }
            return
        }
        if ($paths.Count -eq 0 -or -not (Test-SimCertPath $paths[0])) {
            Microsoft.PowerShell.Management\Get-ChildItem @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Get-ChildItem'
        Assert-SimCertNoFilter -Filter $Filter
        foreach ($one in $paths) {
            $item = Get-SimCertItem -Path $one
            if (-not $item.Found) { $PSCmdlet.WriteError((New-SimItemNotFound $one)); continue }
            foreach ($child in $item.Children) {
                if ($Name) { $child.PSChildName } else { $child }
                if ($Recurse -and $child.PSIsContainer) { Get-ChildItem -LiteralPath $child.PSPath -Recurse -Name:$Name }
            }
        }
    }
}

function Get-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Force,
        [System.Management.Automation.PSCredential]$Credential,
        [string[]]$Stream
    )
    process {
        $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
        if (-not (Test-SimCertPath $paths[0])) {
            # The simulated ProgramData (ProgramData.ps1) is a real folder: its items are real.
            $mapped = @(foreach ($one in $paths) { ConvertTo-SimProgramDataPath $one })
            if ($mapped.Count -gt 0 -and $null -ne $mapped[0]) {
                $null = $PSBoundParameters.Remove('Path')
                $PSBoundParameters['LiteralPath'] = [string[]]$mapped
            }
            Microsoft.PowerShell.Management\Get-Item @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Get-Item'
        Assert-SimCertNoFilter -Filter $Filter
        foreach ($one in $paths) {
            $item = Get-SimCertItem -Path $one
            if (-not $item.Found) { $PSCmdlet.WriteError((New-SimItemNotFound $one)); continue }
            $item.Self
        }
    }
}
