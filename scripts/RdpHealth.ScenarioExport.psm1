# Helpers of Export-RdpHealthScenario.ps1 that need no host state: error kinds, value spellings,
# where a certificate's key is, and the redaction of the finished JSON. Windows PowerShell 5.1 and 7.

Set-StrictMode -Version 3.0

function Test-ExportDenied {
    <# Whether an error is an access denial (the thing exists; this identity may not read it). #>
    param($ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception) {
        if ($exception -is [System.UnauthorizedAccessException] -or $exception -is [System.Security.SecurityException]) { return $true }
        $code = $exception.PSObject.Properties['NativeErrorCode']
        if ($null -ne $code -and [string]$code.Value -eq 'AccessDenied') { return $true }
        $exception = $exception.InnerException
    }
    [string]$ErrorRecord.CategoryInfo.Category -eq 'PermissionDenied'
}

function ConvertTo-ExportHex {
    param([byte[]]$Bytes)
    -join @($Bytes | ForEach-Object { $_.ToString('X2') })
}

function ConvertTo-ExportValue {
    <# A registry value in the scenario's spelling. #>
    param($Value)
    if ($Value -is [byte[]]) { return [ordered]@{ binary = (ConvertTo-ExportHex $Value) } }
    if ($Value -is [string[]]) { return [ordered]@{ multi = @($Value) } }
    if ($Value -is [long]) { return [ordered]@{ qword = $Value } }
    $Value
}

function ConvertTo-ExportCimTable {
    <# CIM instances by key property, with their properties (or only the named ones). #>
    param([object[]]$Instances, [Parameter(Mandatory)][string]$Key, [string[]]$Only)
    $table = [ordered]@{}
    foreach ($instance in @($Instances | Where-Object { $null -ne $_ })) {
        $properties = [ordered]@{}
        foreach ($property in $instance.PSObject.Properties) {
            if ($property.Name -match '^(Cim|PS|Sim)') { continue }
            if ($Only -and $Only -notcontains $property.Name) { continue }
            if ($null -eq $property.Value -or $property.Value -is [string] -or $property.Value -is [ValueType]) { $properties[$property.Name] = $property.Value }
        }
        $table[[string]$instance.$Key] = $properties
    }
    $table
}

function Get-ExportKeyLocation {
    <# Where a certificate's private key is (provider, container, file name), or denied; never the key itself. #>
    param($Certificate)
    if (-not $Certificate.HasPrivateKey) { return $null }
    $key = $null
    $algorithm = $null
    # PrivateKey opens RSA and DSA keys only (an ECDSA key throws NotSupportedException); then the extensions.
    foreach ($open in @('PrivateKey', 'RSACertificateExtensions', 'ECDsaCertificateExtensions')) {
        try {
            if ($open -eq 'PrivateKey') { $key = $Certificate.PrivateKey }
            else {
                $type = "System.Security.Cryptography.X509Certificates.$open" -as [type]
                if ($null -eq $type) { continue }
                $method = if ($open -like 'ECDsa*') { 'GetECDsaPrivateKey' } else { 'GetRSAPrivateKey' }
                $key = $type::$method($Certificate)
                if ($null -ne $key -and $open -like 'ECDsa*') { $algorithm = 'ECDSA' }
            }
        } catch {
            if (Test-ExportDenied $_) { return [ordered]@{ denied = $true } }
            Write-Verbose "$open did not open the key of $($Certificate.Thumbprint): $($_.Exception.Message)"
        }
        if ($null -ne $key) { break }
    }
    if ($null -eq $key) { return $null }
    $csp = $key.PSObject.Properties['CspKeyContainerInfo']
    if ($null -ne $csp -and $null -ne $csp.Value) {
        return [ordered]@{ provider = 'csp'; container = [string]$csp.Value.KeyContainerName; uniqueName = [string]$csp.Value.UniqueKeyContainerName }
    }
    $cng = $key.PSObject.Properties['Key']
    if ($null -ne $cng -and $null -ne $cng.Value) {
        # The key storage provider too: a TPM key (Microsoft Platform Crypto Provider) has no file.
        $location = [ordered]@{ provider = 'cng'; container = [string]$cng.Value.KeyName; uniqueName = [string]$cng.Value.UniqueName }
        $storage = $cng.Value.PSObject.Properties['Provider']
        if ($null -ne $storage -and $null -ne $storage.Value) { $location['storageProvider'] = [string]$storage.Value.Provider }
        if ($algorithm) { $location['algorithm'] = $algorithm }
        return $location
    }
    $null
}

function ConvertTo-ExportList {
    param($Value)
    $list = @($Value | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
    if ($list.Count -eq 1) { return $list[0] }
    , $list
}

function Protect-ExportText {
    <# The JSON with every name replaced (whole words only) and every 40-hex thumbprint replaced by a consistent stand-in. #>
    param([Parameter(Mandatory)][string]$Text, [Parameter(Mandatory)][System.Collections.IDictionary]$Map)
    $map = $Map
    foreach ($name in @($map.Keys | Sort-Object { $_.Length } -Descending)) {
        # Names as whole words; a GUID (the MachineGuid, also inside key file names) wherever it is.
        $pattern = '(?<![A-Za-z0-9_-])' + [regex]::Escape($name) + '(?![A-Za-z0-9_-])'
        if ($name -match '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$') { $pattern = [regex]::Escape($name) }
        $Text = [regex]::Replace($Text, $pattern, $map[$name].Replace('$', '$$'), 'IgnoreCase')
    }
    $salt = [guid]::NewGuid().ToString()
    $sha1 = [System.Security.Cryptography.SHA1]::Create()
    $thumbprints = @{}
    [regex]::Replace($Text, '(?<![0-9A-Fa-f])[0-9A-Fa-f]{40}(?![0-9A-Fa-f])', {
            param($match)
            $upper = $match.Value.ToUpperInvariant()
            if (-not $thumbprints.ContainsKey($upper)) {
                $thumbprints[$upper] = ConvertTo-ExportHex ($sha1.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($salt + $upper)))
            }
            if ($match.Value -ceq $upper) { return $thumbprints[$upper] }
            $thumbprints[$upper].ToLowerInvariant()
        })
}

function Get-ExportIdentity {
    <#
    The scenario identity of this shell: system, elevated-admin, uac-admin (Administrators deny-only under
    UAC) or standard-user, from the Windows token's SIDs; without a Windows token (the simulated host),
    from elevation alone.
    #>
    param([Parameter(Mandatory)][bool]$Elevated)
    try {
        $current = [System.Security.Principal.WindowsIdentity]::GetCurrent()
        if ($current.User.Value -eq 'S-1-5-18') { return 'system' }
        if ($Elevated) { return 'elevated-admin' }
        $denyOnly = @($current.Claims | Where-Object { $_.Type -eq [System.Security.Claims.ClaimTypes]::DenyOnlySid -and $_.Value -eq 'S-1-5-32-544' })
        if ($denyOnly.Count -gt 0) { return 'uac-admin' }
        return 'standard-user'
    } catch {
        Write-Verbose "No Windows token: the identity follows elevation ($($_.Exception.Message))."
    }
    if ($Elevated) { return 'system' }
    'standard-user'
}

Export-ModuleMember -Function *
