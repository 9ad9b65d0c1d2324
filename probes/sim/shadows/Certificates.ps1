# Certificate provider shadows: Get-ChildItem, Get-Item and Remove-Item for Cert:\ paths,
# Import-Certificate and `certutil.exe -repairstore`, from the scenario's `certificates` section, keyed by
# store ("LocalMachine\My") then thumbprint:
#   "certificates": { "LocalMachine\\My": { "<THUMBPRINT>": { "Thumbprint": "...", "Subject": "CN=x",
#     "Issuer": "CN=x", "NotBefore": "now-10d", "NotAfter": "now+355d", "HasPrivateKey": true,
#     "SerialNumber": "..", "FriendlyName": "", "PublicKey": "<id, optional>", "key": { "provider": "csp" | "cng",
#     "container": "TSSecKeySet1", "uniqueName": "<file name>", "denied": false } } } }
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
# Faults: 'Get-ChildItem' / 'Get-Item' / 'Remove-Item' apply to Cert:\ paths only; 'Import-Certificate',
# 'certutil'. Other paths go to the real cmdlets.

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

function Get-SimKeyFilePath {
    <# Where Windows keeps a machine key: CSP keys in Crypto\RSA\MachineKeys, CNG keys in Crypto\Keys. #>
    param([Parameter(Mandatory)]$State, [Parameter(Mandatory)]$Key)
    $programData = [string](Get-SimSection -Key 'env' -State $State)['ProgramData']
    if (-not $programData) { $programData = 'C:\ProgramData' }
    $provider = if ($Key.Contains('provider')) { [string]$Key['provider'] } else { 'csp' }
    $folder = if ($provider -eq 'cng') { 'Microsoft\Crypto\Keys' } else { 'Microsoft\Crypto\RSA\MachineKeys' }
    "$($programData.TrimEnd('\'))\$folder\$([string]$Key['uniqueName'])"
}

function Find-SimStateKey {
    <# The stored spelling of a key of a dictionary, case-insensitively, or $null. #>
    param($Table, [string]$Name)
    if ($Table -isnot [System.Collections.IDictionary]) { return $null }
    foreach ($key in @($Table.Keys)) { if ($key -ieq $Name) { return $key } }
    $null
}

function Remove-Item {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory, ValueFromPipelineByPropertyName)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [Alias('s')][switch]$Recurse,
        [switch]$Force,
        [System.Management.Automation.PSCredential]$Credential,
        [string[]]$Stream,
        [switch]$DeleteKey
    )
    process {
        $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
        if ($paths.Count -eq 0 -or -not (Test-SimCertPath $paths[0])) {
            Microsoft.PowerShell.Management\Remove-Item @PSBoundParameters
            return
        }
        Invoke-SimFault -Command 'Remove-Item'
        Assert-SimCertNoFilter -Filter $Filter
        foreach ($one in $paths) {
            $parts = Split-SimCertPath -Path $one
            if ($parts.Depth -ne 3) { throw [System.NotSupportedException]::new("The simulated Cert: provider removes single certificates only: $one") }
            $state = Get-SimState
            $section = Get-SimSection -Key 'certificates' -State $state
            $storeKey = Find-SimStateKey -Table $section -Name "$($parts.Location)\$($parts.Store)"
            $thumbprint = if ($null -ne $storeKey) { Find-SimStateKey -Table $section[$storeKey] -Name $parts.Thumbprint } else { $null }
            if ($null -eq $thumbprint) { $PSCmdlet.WriteError((New-SimCertNotFound $one)); continue }
            if (-not $PSCmdlet.ShouldProcess("Item: $one", 'Remove certificate')) { continue }
            $spec = $section[$storeKey][$thumbprint]
            $section[$storeKey].Remove($thumbprint)
            if ($spec.Contains('key') -and $null -ne $spec['key']) {
                if ($DeleteKey) {
                    $files = Get-SimSection -Key 'files' -State $state
                    $file = Find-SimStateKey -Table $files -Name (Get-SimKeyFilePath -State $state -Key $spec['key'])
                    if ($null -ne $file) { $files.Remove($file) }
                } else {
                    # The key container stays on disk, as on Windows: certutil -repairstore can find it again.
                    if (-not $state.Contains('orphanedKeys')) { $state['orphanedKeys'] = [ordered]@{} }
                    $state['orphanedKeys'][(Get-SimCertPublicKeyId -Spec $spec)] = $spec['key']
                }
            }
            Save-SimState -State $state
        }
    }
}

function Import-Certificate {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)][string]$FilePath,
        [string]$CertStoreLocation
    )
    process {
        if (-not (Test-SimHostActive) -or -not (Test-SimCertPath $CertStoreLocation)) { PKI\Import-Certificate @PSBoundParameters; return }
        Invoke-SimFault -Command 'Import-Certificate'
        $parts = Split-SimCertPath -Path $CertStoreLocation
        if ($parts.Depth -ne 2) { throw [System.NotSupportedException]::new("The simulated Import-Certificate needs a store (Cert:\LocalMachine\<store>): $CertStoreLocation") }
        $text = [System.Text.Encoding]::UTF8.GetString([System.IO.File]::ReadAllBytes($FilePath))
        if (-not $text.StartsWith('SIMCERT1:')) { throw [System.Security.Cryptography.CryptographicException]::new('Cannot find the requested object. (simulated: not a certificate of the simulated host)') }
        $public = $text.Substring(9) | ConvertFrom-Json -AsHashtable
        if (-not $PSCmdlet.ShouldProcess($CertStoreLocation, "Import certificate $($public['Thumbprint'])")) { return }
        $state = Get-SimState
        if (-not $state.Contains('certificates')) { $state['certificates'] = [ordered]@{} }
        $storeKey = Find-SimStateKey -Table $state['certificates'] -Name "$($parts.Location)\$($parts.Store)"
        if ($null -eq $storeKey) { $storeKey = "$($parts.Location)\$($parts.Store)"; $state['certificates'][$storeKey] = [ordered]@{} }
        $thumbprint = ([string]$public['Thumbprint']).ToUpperInvariant()
        $existing = Find-SimStateKey -Table $state['certificates'][$storeKey] -Name $thumbprint
        if ($null -eq $existing) {
            $spec = [ordered]@{
                Thumbprint = $thumbprint; Subject = $public['Subject']; Issuer = $public['Issuer']
                NotBefore = $public['NotBefore']; NotAfter = $public['NotAfter']; HasPrivateKey = $false
                SerialNumber = $public['SerialNumber']; FriendlyName = ''
            }
            if ($public['PublicKey'] -ne "sim-key:$thumbprint") { $spec['PublicKey'] = $public['PublicKey'] }
            $state['certificates'][$storeKey][$thumbprint] = $spec
            $existing = $thumbprint
            Save-SimState -State $state
        }
        New-SimCertificate -StoreKey $storeKey -Spec $state['certificates'][$storeKey][$existing]
    }
}

function certutil.exe {
    <#
    Shadow of certutil.exe: `-repairstore [-f] <store> <thumbprint>` in the local machine stores only.
    Links the certificate to the private key left behind for its public key (`orphanedKeys`) when the key
    file still holds that key; exit code 0, 0x80092004 (certificate not found) or 0x80090016 (no such key).
    Any other verb throws NotSupportedException.
    #>
    if (-not (Test-SimHostActive)) { return & (Get-Command -Name 'certutil.exe' -CommandType Application | Select-Object -First 1) @args }
    Invoke-SimFault -Command 'certutil'
    $positional = @()
    $verb = $null
    foreach ($arg in @($args | ForEach-Object { [string]$_ })) {
        if ($arg -ieq '-repairstore') { $verb = 'repairstore'; continue }
        if ($arg -in @('-f', '-q', '-silent')) { continue }
        if ($arg.StartsWith('-')) { throw [System.NotSupportedException]::new("The simulated certutil implements -repairstore only (asked: '$arg').") }
        $positional += $arg
    }
    if ($verb -ne 'repairstore' -or $positional.Count -ne 2) { throw [System.NotSupportedException]::new("The simulated certutil implements '-repairstore <store> <thumbprint>' only (asked: $($args -join ' ')).") }
    $state = Get-SimState
    $section = Get-SimSection -Key 'certificates' -State $state
    $storeKey = Find-SimStateKey -Table $section -Name "LocalMachine\$($positional[0])"
    $thumbprint = if ($null -ne $storeKey) { Find-SimStateKey -Table $section[$storeKey] -Name ($positional[1] -replace '\s', '') } else { $null }
    if ($null -eq $thumbprint) {
        'CertUtil: -repairstore command FAILED: 0x80092004 (-2146885628 CRYPT_E_NOT_FOUND)'
        $global:LASTEXITCODE = -2146885628
        return
    }
    $spec = $section[$storeKey][$thumbprint]
    $publicKey = Get-SimCertPublicKeyId -Spec $spec
    $key = if ($spec.Contains('key') -and $null -ne $spec['key']) { $spec['key'] } elseif ($state.Contains('orphanedKeys') -and $state['orphanedKeys'].Contains($publicKey)) { $state['orphanedKeys'][$publicKey] } else { $null }
    $file = $null
    if ($null -ne $key) {
        $files = Get-SimSection -Key 'files' -State $state
        $fileKey = Find-SimStateKey -Table $files -Name (Get-SimKeyFilePath -State $state -Key $key)
        if ($null -ne $fileKey) { $file = $files[$fileKey] }
    }
    $holds = ($null -ne $file) -and (-not $file.Contains('publicKey') -or [string]$file['publicKey'] -eq $publicKey)
    if (-not $holds) {
        'CertUtil: -repairstore command FAILED: 0x80090016 (-2146893802 NTE_BAD_KEYSET)'
        'CertUtil: Keyset does not exist'
        $global:LASTEXITCODE = -2146893802
        return
    }
    $spec['key'] = $key
    $spec['HasPrivateKey'] = $true
    if ($state.Contains('orphanedKeys')) {
        $state['orphanedKeys'].Remove($publicKey)
        if ($state['orphanedKeys'].Count -eq 0) { $state.Remove('orphanedKeys') }
    }
    Save-SimState -State $state
    'Encryption test passed'
    'CertUtil: -repairstore command completed successfully.'
    $global:LASTEXITCODE = 0
}
