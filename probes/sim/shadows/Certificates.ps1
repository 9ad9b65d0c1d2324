# Certificate provider shadows: Get-ChildItem and Get-Item for Cert:\ paths, from the scenario's
# `certificates` section, keyed by store ("LocalMachine\My") then thumbprint:
#   "certificates": { "LocalMachine\\My": { "<THUMBPRINT>": { "Thumbprint": "...", "Subject": "CN=x",
#     "Issuer": "CN=x", "NotBefore": "now-10d", "NotAfter": "now+355d", "HasPrivateKey": true,
#     "SerialNumber": "..", "FriendlyName": "", "key": { "provider": "csp" | "cng",
#     "container": "TSSecKeySet1", "uniqueName": "<file name>", "denied": false } } } }
# Objects carry X509Certificate2's property names. PrivateKey is shaped like RSACryptoServiceProvider
# (csp: .CspKeyContainerInfo.UniqueKeyContainerName) or RSACng (cng: .Key.UniqueName); with
# key.denied it throws UnauthorizedAccessException, as opening a machine key without rights does.
# Faults: 'Get-ChildItem' / 'Get-Item' apply to Cert:\ paths only. Other paths go to the real cmdlets.

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
    $wanted = "$Location\$Store"
    foreach ($key in (Get-SimSection -Key 'certificates').Keys) { if ($key -ieq $wanted) { return $key } }
    $null
}

function New-SimCertNotFound {
    param([string]$Path)
    $exception = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
    [System.Management.Automation.ErrorRecord]::new($exception, 'PathNotFound', 'ObjectNotFound', $Path)
}

function Get-SimPrivateKey {
    <# The PrivateKey of a simulated certificate: RSACryptoServiceProvider- or RSACng-shaped. #>
    param($Certificate)
    $key = $Certificate.SimKey
    if (-not $Certificate.HasPrivateKey -or $null -eq $key) { return $null }
    if ($key.Contains('denied') -and $key['denied']) {
        throw [System.UnauthorizedAccessException]::new('Access is denied. (simulated: opening the private key)')
    }
    $provider = if ($key.Contains('provider')) { [string]$key['provider'] } else { 'csp' }
    $container = if ($key.Contains('container')) { [string]$key['container'] } else { $null }
    $uniqueName = [string]$key['uniqueName']
    if ($provider -eq 'cng') {
        $cngKey = [PSCustomObject]@{
            UniqueName = $uniqueName; KeyName = $container; IsMachineKey = $true
            Provider = [PSCustomObject]@{ Provider = 'Microsoft Software Key Storage Provider' }
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

function New-SimCertificate {
    <# One certificate as the Cert: provider returns it (X509Certificate2 property names). #>
    param([Parameter(Mandatory)][string]$StoreKey, [Parameter(Mandatory)]$Spec)
    $thumbprint = ([string]$Spec['Thumbprint']).ToUpperInvariant()
    $parent = "$script:SimCertProviderPrefix$StoreKey"
    $certificate = [PSCustomObject][ordered]@{
        Thumbprint    = $thumbprint
        Subject       = [string]$Spec['Subject']
        Issuer        = [string]$Spec['Issuer']
        NotBefore     = ConvertTo-SimDate ([string]$Spec['NotBefore'])
        NotAfter      = ConvertTo-SimDate ([string]$Spec['NotAfter'])
        HasPrivateKey = [bool]$Spec['HasPrivateKey']
        SerialNumber  = [string]$Spec['SerialNumber']
        FriendlyName  = $(if ($Spec.Contains('FriendlyName')) { [string]$Spec['FriendlyName'] } else { '' })
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
        if ($paths.Count -eq 0 -or -not (Test-SimCertPath $paths[0])) {
            Microsoft.PowerShell.Management\Get-ChildItem @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Get-ChildItem'
        Assert-SimCertNoFilter -Filter $Filter
        foreach ($one in $paths) {
            $item = Get-SimCertItem -Path $one
            if (-not $item.Found) { $PSCmdlet.WriteError((New-SimCertNotFound $one)); continue }
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
            Microsoft.PowerShell.Management\Get-Item @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Get-Item'
        Assert-SimCertNoFilter -Filter $Filter
        foreach ($one in $paths) {
            $item = Get-SimCertItem -Path $one
            if (-not $item.Found) { $PSCmdlet.WriteError((New-SimCertNotFound $one)); continue }
            $item.Self
        }
    }
}
