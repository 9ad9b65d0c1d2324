# Follows: MicrosoftDocs/win32 desktop-src/TermServ/win32-tsgeneralsetting.md (SetUserAuthenticationRequired, SetSecurityLayer and their return codes).
# Win32_TSGeneralSetting method handlers (see Cim.ps1 for how handlers are called). Like Windows,
# each method changes BOTH the WMI instance and the local RDP-Tcp registry value it is backed by.
# Return values are the documented Remote Desktop Services WMI provider codes:
#   0 success; 2147749896 (0x80041008) WBEM_E_INVALID_PARAMETER;
#   2147749910 (0x80041016) WBEM_E_INVALID_OPERATION, returned when group policy overrides the property.
# Argument names are the documented ones (windows-cmdlets.json wmiClasses): an unknown name throws,
# as a real provider call with a wrong parameter name does.

$script:SimWbemInvalidParameter = [uint32]2147749896
$script:SimWbemInvalidOperation = [uint32]2147749910
$script:SimRdpTcpKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
$script:SimTsPolicyKey = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'

function Get-SimMethodArgument {
    <# The one documented argument of a method call, or a throw naming what was passed instead. #>
    param([System.Collections.IDictionary]$Arguments, [string]$Method, [string]$Expected)
    foreach ($name in @($Arguments.Keys)) {
        if ($name -ne $Expected) {
            throw [Microsoft.Management.Infrastructure.CimException]::new("Invalid parameter '$name' for Win32_TSGeneralSetting.$Method (simulated; expected $Expected)")
        }
    }
    if (-not $Arguments.Contains($Expected)) {
        throw [Microsoft.Management.Infrastructure.CimException]::new("Win32_TSGeneralSetting.$Method needs the argument $Expected (simulated)")
    }
    $Arguments[$Expected]
}

function Get-SimPolicyValue {
    <# A value under the Terminal Services policy key in the given state, or $null. #>
    param($State, [string]$Name)
    $registry = Get-SimSection -Key 'registry' -State $State
    foreach ($key in $registry.Keys) {
        if ($key -ieq $script:SimTsPolicyKey -and $registry[$key] -is [System.Collections.IDictionary] -and $registry[$key].Contains($Name)) {
            return $registry[$key][$Name]
        }
    }
    $null
}

function Set-SimRdpTcpValue {
    <# Writes a local RDP-Tcp value into the given state object (the caller saves it). #>
    param($State, [string]$Name, $Value)
    $key = Find-SimRegistryKey $script:SimRdpTcpKey
    if ($null -eq $key) { $key = ConvertTo-SimRegistryKey $script:SimRdpTcpKey }
    if (-not $State.Contains('registry')) { $State['registry'] = [ordered]@{} }
    if (-not $State['registry'].Contains($key) -or $null -eq $State['registry'][$key]) { $State['registry'][$key] = [ordered]@{} }
    $State['registry'][$key][$Name] = ConvertTo-SimRegistryValue $Value
}

function Invoke-SimTsGeneralSettingSet {
    <#
    Shared body of the two Set methods: refuse a group-policy-controlled property, validate the value,
    then update the instance (value + PolicySource 0 "server") and the local registry value.
    #>
    param($Instance, $State, $Value, [int[]]$Allowed, [string]$WmiProperty, [string]$PolicySourceProperty, [string]$RegistryName)
    $policySource = if ($Instance.Contains($PolicySourceProperty)) { $Instance[$PolicySourceProperty] } else { $null }
    if ($policySource -eq 1 -or $null -ne (Get-SimPolicyValue -State $State -Name $RegistryName)) { return $script:SimWbemInvalidOperation }
    $number = 0
    if ($null -eq $Value -or -not [int]::TryParse([string]$Value, [ref]$number) -or $Allowed -notcontains $number) { return $script:SimWbemInvalidParameter }
    $Instance[$WmiProperty] = $number
    $Instance[$PolicySourceProperty] = 0
    Set-SimRdpTcpValue -State $State -Name $RegistryName -Value $number
    [uint32]0
}

$script:SimCimMethods['Win32_TSGeneralSetting.SetUserAuthenticationRequired'] = {
    param($Key, $Instance, $Arguments, $State)
    $value = Get-SimMethodArgument -Arguments $Arguments -Method 'SetUserAuthenticationRequired' -Expected 'UserAuthenticationRequired'
    Invoke-SimTsGeneralSettingSet -Instance $Instance -State $State -Value $value -Allowed @(0, 1) `
        -WmiProperty 'UserAuthenticationRequired' -PolicySourceProperty 'PolicySourceUserAuthenticationRequired' -RegistryName 'UserAuthentication'
}

$script:SimCimMethods['Win32_TSGeneralSetting.SetSecurityLayer'] = {
    param($Key, $Instance, $Arguments, $State)
    $value = Get-SimMethodArgument -Arguments $Arguments -Method 'SetSecurityLayer' -Expected 'SecurityLayer'
    # Documented: with encryption level 1 (Low), SecurityLayer 2 (SSL/TLS) is not valid.
    $encryption = if ($Instance.Contains('MinEncryptionLevel')) { $Instance['MinEncryptionLevel'] } else { $null }
    if ([string]$value -eq '2' -and $encryption -eq 1) { return $script:SimWbemInvalidParameter }
    Invoke-SimTsGeneralSettingSet -Instance $Instance -State $State -Value $value -Allowed @(0, 1, 2) `
        -WmiProperty 'SecurityLayer' -PolicySourceProperty 'PolicySourceSecurityLayer' -RegistryName 'SecurityLayer'
}
