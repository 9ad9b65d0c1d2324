# Follows: Microsoft Learn Get-NetFirewallProfile (MSFT_NetFirewallProfile), Get-NetConnectionProfile (MSFT_NetConnectionProfile) and the SecurityCenter2 FirewallProduct class as Windows client SKUs fill it.
# Firewall and network profile shadows: Get-NetFirewallProfile (NetSecurity) from the scenario's
# `firewall.profiles`, Get-NetConnectionProfile (NetConnection) from `firewall.connectionProfiles`
# (see Firewall.ps1). Read-only.

function Get-NetFirewallProfile {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('Profile')][string[]]$Name,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-SimCommandPresent -Name 'Get-NetFirewallProfile'
    Invoke-SimFault -Command 'Get-NetFirewallProfile'
    $profiles = Get-SimSection -Key 'firewall', 'profiles'
    foreach ($key in @($profiles.Keys)) {
        $stored = $profiles[$key]
        if ($Name -and -not (Test-SimLike $key $Name)) { continue }
        $object = [PSCustomObject][ordered]@{
            Name                            = [string]$key
            Enabled                         = [string](Get-SimFirewallValue $stored 'Enabled' 'True')
            DefaultInboundAction            = [string](Get-SimFirewallValue $stored 'DefaultInboundAction' 'NotConfigured')
            DefaultOutboundAction           = [string](Get-SimFirewallValue $stored 'DefaultOutboundAction' 'NotConfigured')
            AllowInboundRules               = [string](Get-SimFirewallValue $stored 'AllowInboundRules' 'NotConfigured')
            AllowLocalFirewallRules         = [string](Get-SimFirewallValue $stored 'AllowLocalFirewallRules' 'NotConfigured')
            AllowLocalIPsecRules            = [string](Get-SimFirewallValue $stored 'AllowLocalIPsecRules' 'NotConfigured')
            AllowUserApps                   = 'NotConfigured'
            AllowUserPorts                  = 'NotConfigured'
            AllowUnicastResponseToMulticast = 'NotConfigured'
            NotifyOnListen                  = 'NotConfigured'
            EnableStealthModeForIPsec       = 'NotConfigured'
            LogFileName                     = '%systemroot%\system32\LogFiles\Firewall\pfirewall.log'
            LogMaxSizeKilobytes             = 4096
            LogAllowed                      = 'NotConfigured'
            LogBlocked                      = 'NotConfigured'
            LogIgnored                      = 'NotConfigured'
            DisabledInterfaceAliases        = @('NotConfigured')
        }
        $object.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile')
        $object
    }
}

function Get-NetConnectionProfile {
    [CmdletBinding()]
    param(
        [string[]]$Name,
        [string[]]$InterfaceAlias,
        [uint32[]]$InterfaceIndex,
        [ValidateSet('Public', 'Private', 'DomainAuthenticated')][string[]]$NetworkCategory,
        [string[]]$IPv4Connectivity,
        [string[]]$IPv6Connectivity,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-SimCommandPresent -Name 'Get-NetConnectionProfile'
    Invoke-SimFault -Command 'Get-NetConnectionProfile'
    $connections = Get-SimSection -Key 'firewall', 'connectionProfiles'
    foreach ($key in @($connections.Keys)) {
        $stored = $connections[$key]
        if (-not (Test-SimLike $stored['Name'] $Name) -or -not (Test-SimLike $stored['InterfaceAlias'] $InterfaceAlias)) { continue }
        if ($InterfaceIndex -and $InterfaceIndex -notcontains [uint32]$stored['InterfaceIndex']) { continue }
        if ($NetworkCategory -and $NetworkCategory -notcontains [string]$stored['NetworkCategory']) { continue }
        $object = [PSCustomObject][ordered]@{
            Name             = [string]$stored['Name']
            InterfaceAlias   = [string]$stored['InterfaceAlias']
            InterfaceIndex   = [uint32]$stored['InterfaceIndex']
            NetworkCategory  = [string]$stored['NetworkCategory']
            DomainAuthenticationKind = $(if ([string]$stored['NetworkCategory'] -eq 'DomainAuthenticated') { 'Ldap' } else { 'None' })
            IPv4Connectivity = [string](Get-SimFirewallValue $stored 'IPv4Connectivity' 'Internet')
            IPv6Connectivity = [string](Get-SimFirewallValue $stored 'IPv6Connectivity' 'NoTraffic')
        }
        $object.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetConnectionProfile')
        $object
    }
}
