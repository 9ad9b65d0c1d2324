# Follows: Microsoft Learn about_Certificate_Provider (Remove-Item, -DeleteKey), Import-Certificate (pki module) and the certutil -repairstore command reference.
# Certificate store changes (the fixes and their undo use these): Remove-Item on a Cert:\ certificate,
# Import-Certificate into a Cert:\LocalMachine store, and `certutil.exe -repairstore`. The scenario's
# `certificates`, `orphanedKeys` and key `files`, and the faults, are described in Certificates.ps1.

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
            if ($null -eq $thumbprint) { $PSCmdlet.WriteError((New-SimItemNotFound $one)); continue }
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
