# Shared helpers for the RDP Health probe and fix scripts.
# Windows PowerShell 5.1 syntax only: this file runs on every Windows host as shipped.

Set-StrictMode -Version 3.0
# Module functions do not inherit the calling script's preference (probes run as `& script` in
# the warm session), so a non-terminating error here would slip past the probe's error mapping.
$ErrorActionPreference = 'Stop'

$script:EnvelopeSchemaVersion = 1
$script:RdpTcpPath = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$script:TerminalServerPath = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
$script:TsPolicyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

function Get-RdpPath {
    <#
    .SYNOPSIS
    Returns a well-known registry path by short name, so scripts never retype them.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateSet('RdpTcp', 'TerminalServer', 'TsPolicy')][string]$Name)
    switch ($Name) {
        'RdpTcp' { $script:RdpTcpPath }
        'TerminalServer' { $script:TerminalServerPath }
        'TsPolicy' { $script:TsPolicyPath }
    }
}

function New-RdpProbeError {
    <#
    .SYNOPSIS
    Builds an exception that Invoke-RdpProbe reports with the given error kind.
    .OUTPUTS
    System.Exception
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidateSet('access-denied', 'not-found', 'unsupported', 'timeout', 'error')][string]$Kind,
        [Parameter(Mandatory)][string]$Message
    )
    $exception = New-Object System.Exception $Message
    $exception.Data['RdpHealthErrorKind'] = $Kind
    $exception
}

function Get-RdpErrorKind {
    <#
    .SYNOPSIS
    Maps an error record to an envelope error kind, by exception type and error category (never by message text).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][System.Management.Automation.ErrorRecord]$ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception) {
        if ($exception.Data.Contains('RdpHealthErrorKind')) { return $exception.Data['RdpHealthErrorKind'] }
        if ($exception -is [System.UnauthorizedAccessException] -or $exception -is [System.Security.SecurityException]) { return 'access-denied' }
        # A COM call refused (E_ACCESSDENIED, 0x80070005), e.g. running a task the caller may not run.
        if ($exception -is [System.Runtime.InteropServices.COMException] -and $exception.HResult -eq -2147024891) { return 'access-denied' }
        if ($exception -is [System.Management.Automation.ItemNotFoundException]) { return 'not-found' }
        if ($exception -is [System.Management.Automation.CommandNotFoundException]) { return 'unsupported' }
        if ($exception -is [System.TimeoutException]) { return 'timeout' }
        $exception = $exception.InnerException
    }
    switch ($ErrorRecord.CategoryInfo.Category) {
        'PermissionDenied' { return 'access-denied' }
        'SecurityError' { return 'access-denied' }
        'ObjectNotFound' { return 'not-found' }
        'NotImplemented' { return 'unsupported' }
        'OperationTimeout' { return 'timeout' }
    }
    'error'
}

function ConvertTo-RdpEnvelopeJson {
    <#
    .SYNOPSIS
    Serializes a probe envelope as one compressed JSON line (Depth 10: 5.1 silently truncates past -Depth).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Envelope)
    ConvertTo-Json -InputObject $Envelope -Depth 10 -Compress
}

function Invoke-RdpProbe {
    <#
    .SYNOPSIS
    Runs a probe body and prints its envelope: {probe, schema, ok, data} or {probe, schema, ok:false, error}.
    .DESCRIPTION
    Sets the preferences every probe needs, turns any terminating error into an error envelope with a
    kind (access-denied, not-found, unsupported, timeout, error) and writes exactly one JSON document.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[a-z][a-z0-9-]*$')][string]$Name,
        [Parameter(Mandatory)][scriptblock]$Body
    )
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { Write-Verbose 'Output encoding is fixed by the host.' }
    try {
        $data = & $Body
        $envelope = [ordered]@{ probe = $Name; schema = $script:EnvelopeSchemaVersion; ok = $true; data = $data }
    } catch {
        $envelope = [ordered]@{
            probe = $Name; schema = $script:EnvelopeSchemaVersion; ok = $false
            error = [ordered]@{ kind = (Get-RdpErrorKind -ErrorRecord $_); message = $_.Exception.Message }
        }
    }
    ConvertTo-RdpEnvelopeJson -Envelope $envelope
}

function Get-RdpRegistryValue {
    <#
    .SYNOPSIS
    Reads one registry value; $null when the key or the value is absent. Access denied still throws.
    .OUTPUTS
    System.Object
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Name)
    if (-not (Test-Path -Path $Path)) { return $null }
    $item = Get-ItemProperty -Path $Path
    $property = $item.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    # The comma keeps REG_BINARY (byte[]) and REG_MULTI_SZ (string[]) values whole instead of unrolled.
    , $property.Value
}

function Get-RdpEffectiveSetting {
    <#
    .SYNOPSIS
    The effective value of an RDP setting: the group-policy value if set, else the local RDP-Tcp value, else the default.
    .OUTPUTS
    PSCustomObject with Name, Value, Source ('policy', 'local' or 'default'), PolicyValue, LocalValue, PolicyPath, LocalPath.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [string]$PolicyName = $Name,
        [string]$LocalPath = $script:RdpTcpPath,
        [string]$PolicyPath = $script:TsPolicyPath,
        $Default = $null
    )
    $policyValue = Get-RdpRegistryValue -Path $PolicyPath -Name $PolicyName
    $localValue = Get-RdpRegistryValue -Path $LocalPath -Name $Name
    $source = 'default'
    $value = $Default
    if ($null -ne $policyValue) { $source = 'policy'; $value = $policyValue }
    elseif ($null -ne $localValue) { $source = 'local'; $value = $localValue }
    [PSCustomObject]@{
        Name = $Name; Value = $value; Source = $source
        PolicyValue = $policyValue; LocalValue = $localValue
        PolicyPath = $PolicyPath; LocalPath = $LocalPath
    }
}

function ConvertTo-RdpIsoDate {
    <#
    .SYNOPSIS
    A date as an ISO 8601 UTC string (the envelope's only date format).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][datetime]$Date)
    $Date.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
}

function ConvertTo-RdpHex {
    <#
    .SYNOPSIS
    A byte array (such as the REG_BINARY SSLCertificateSHA1Hash) as an upper-case hex string.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowEmptyCollection()][byte[]]$Bytes)
    ($Bytes | ForEach-Object { $_.ToString('X2') }) -join ''
}

function Get-RdpServiceState {
    <#
    .SYNOPSIS
    State, start mode and process id of the named services, read with CIM (the WMI cmdlets are gone in PowerShell 7).
    .OUTPUTS
    PSCustomObject[] with Name, State, StartMode, ProcessId, Present.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string[]]$Name)
    foreach ($serviceName in $Name) {
        $service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$serviceName'"
        if ($null -eq $service) {
            [PSCustomObject]@{ Name = $serviceName; Present = $false; State = $null; StartMode = $null; ProcessId = $null }
        } else {
            [PSCustomObject]@{
                Name = $serviceName; Present = $true; State = [string]$service.State
                StartMode = [string]$service.StartMode; ProcessId = [int]$service.ProcessId
            }
        }
    }
}

function Get-RdpTsGeneralSetting {
    <#
    .SYNOPSIS
    The RDP-Tcp instance of Win32_TSGeneralSetting, and whether WMI let this account read it.
    .DESCRIPTION
    root\cimv2\TerminalServices has its own ACL and may refuse an unelevated account (issue 11, item 1):
    a probe that has the registry carries on without it and says what could not be read.
    .OUTPUTS
    PSCustomObject with Instance ($null when not read), Readable, ErrorKind, Error.
    #>
    [CmdletBinding()]
    param()
    try {
        $instance = Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName 'Win32_TSGeneralSetting' -Filter "TerminalName='RDP-Tcp'" -ErrorAction Stop
        [PSCustomObject]@{ Instance = $instance; Readable = $true; ErrorKind = $null; Error = $null }
    } catch {
        [PSCustomObject]@{ Instance = $null; Readable = $false; ErrorKind = (Get-RdpErrorKind -ErrorRecord $_); Error = $_.Exception.Message }
    }
}

function ConvertTo-RdpWmiReadData {
    <#
    .SYNOPSIS
    Whether Win32_TSGeneralSetting was read, as envelope data: { readable, errorKind, error }.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Read)
    [PSCustomObject][ordered]@{ readable = [bool]$Read.Readable; errorKind = $Read.ErrorKind; error = $Read.Error }
}

Export-ModuleMember -Function Get-RdpTsGeneralSetting, ConvertTo-RdpWmiReadData, Get-RdpPath, New-RdpProbeError, Get-RdpErrorKind, ConvertTo-RdpEnvelopeJson, Invoke-RdpProbe, Get-RdpRegistryValue, Get-RdpEffectiveSetting, ConvertTo-RdpIsoDate, ConvertTo-RdpHex, Get-RdpServiceState
