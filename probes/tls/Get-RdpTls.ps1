#Requires -Version 5.1
<#
.SYNOPSIS
Reads which TLS versions the Schannel server side offers (and so Remote Desktop), the OS build that
decides the defaults, and the cipher suites.

.DESCRIPTION
Per version (TLS 1.0, 1.1, 1.2, 1.3): Enabled and DisabledByDefault under
HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.x\Server. An absent
value means the OS default, which depends on the build (CurrentBuild under
HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion):
- TLS 1.3 server exists from build 20348 (Windows Server 2022 / Windows 11) and is on there.
- TLS 1.0 and 1.1 are off by default from build 26100 (Windows Server 2025 / Windows 11 24H2).
- TLS 1.2 is on by default from build 9200 (Windows 8 / Server 2012).
- Anything older is reported as unknown (null), not guessed.
Enabled 0 turns a version off. DisabledByDefault 1 keeps it from programs that ask for the system
defaults; whether Remote Desktop explicitly asks for it is not verified, so that case is null.
Also read: the cipher suite order policy (HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\
SSL\00010002, value Functions) and Get-TlsCipherSuite (TLS module); where that command does not exist
the cipher suites are null.

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"tls","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')

$script:ProtocolsPath = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
$script:VersionPath = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$script:CipherPolicyPath = 'HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002'

function Get-RdpTlsOsDefault {
    <#
    .SYNOPSIS
    Whether a TLS version is offered by the server side on this build when the registry says nothing.
    .OUTPUTS
    PSCustomObject with supported and enabled (each $true, $false or $null for unknown).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Version, $Build)
    $supported = $null; $enabled = $null
    if ($null -ne $Build) {
        switch ($Version) {
            '1.0' { $supported = $true; $enabled = ($Build -lt 26100) }
            '1.1' {
                if ($Build -ge 9200) { $supported = $true; $enabled = ($Build -lt 26100) }
            }
            '1.2' {
                if ($Build -ge 9200) { $supported = $true; $enabled = $true }
            }
            '1.3' { $supported = ($Build -ge 20348); $enabled = ($Build -ge 20348) }
        }
    }
    [PSCustomObject]@{ supported = $supported; enabled = $enabled }
}

function Get-RdpTlsServerProtocol {
    <#
    .SYNOPSIS
    The explicit Schannel server values of one TLS version and the state they give on this build.
    .OUTPUTS
    PSCustomObject with version, path, keyPresent, enabled, disabledByDefault, supported, osDefault,
    effective ($true, $false or $null) and source ('registry' or 'os-default').
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Version, $Build)
    # String concatenation, not Join-Path: Join-Path resolves the drive, which a simulated host lacks.
    $path = "$script:ProtocolsPath\TLS $Version\Server"
    $keyPresent = [bool](Test-Path -Path $path)
    $enabled = $null; $disabledByDefault = $null
    if ($keyPresent) {
        $enabled = Get-RdpRegistryValue -Path $path -Name 'Enabled'
        $disabledByDefault = Get-RdpRegistryValue -Path $path -Name 'DisabledByDefault'
    }
    $default = Get-RdpTlsOsDefault -Version $Version -Build $Build
    $effective = $default.enabled
    $source = 'os-default'
    if ($default.supported -eq $false) {
        # Registry values cannot add a version this build's Schannel does not have.
        $effective = $false
    } elseif ($null -ne $enabled -and [long]$enabled -eq 0) {
        $effective = $false; $source = 'registry'
    } elseif ($null -ne $disabledByDefault -and [long]$disabledByDefault -ne 0) {
        $effective = $null; $source = 'registry'
    } elseif ($null -ne $enabled) {
        $effective = $true; $source = 'registry'
    }
    [PSCustomObject]@{
        version           = $Version
        path              = $path
        keyPresent        = $keyPresent
        enabled           = $enabled
        disabledByDefault = $disabledByDefault
        supported         = $default.supported
        osDefault         = $default.enabled
        effective         = $effective
        source            = $source
    }
}

Invoke-RdpProbe -Name 'tls' -Body {
    $buildText = Get-RdpRegistryValue -Path $script:VersionPath -Name 'CurrentBuild'
    $build = $null
    $parsed = 0
    if ($null -ne $buildText -and [int]::TryParse([string]$buildText, [ref]$parsed)) { $build = $parsed }
    $productName = Get-RdpRegistryValue -Path $script:VersionPath -Name 'ProductName'
    $installationType = Get-RdpRegistryValue -Path $script:VersionPath -Name 'InstallationType'

    $protocols = @(foreach ($version in @('1.0', '1.1', '1.2', '1.3')) { Get-RdpTlsServerProtocol -Version $version -Build $build })

    # Functions is a comma-separated REG_SZ when set by group policy; accept a REG_MULTI_SZ too.
    $functions = $null
    $rawFunctions = Get-RdpRegistryValue -Path $script:CipherPolicyPath -Name 'Functions'
    if ($null -ne $rawFunctions) {
        $functions = @(@($rawFunctions) | ForEach-Object { ([string]$_) -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
    }

    $cipherSuites = $null
    try {
        $suites = @(Get-TlsCipherSuite)
        $cipherSuites = @(foreach ($suite in $suites) {
                [PSCustomObject]@{
                    name      = [string]$suite.Name
                    protocols = @(@($suite.Protocols) | Where-Object { $null -ne $_ } | ForEach-Object { [int]$_ })
                }
            })
    } catch [System.Management.Automation.CommandNotFoundException] {
        # Windows without the TLS module (before Windows 10 / Server 2016): report null, not a failure.
        $cipherSuites = $null
    }

    [PSCustomObject]@{
        os                = [PSCustomObject]@{ build = $build; productName = $productName; installationType = $installationType }
        protocols         = $protocols
        cipherSuitePolicy = [PSCustomObject]@{ path = $script:CipherPolicyPath; functions = $functions }
        cipherSuites      = $cipherSuites
    }
}
