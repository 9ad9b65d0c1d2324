# Follows: Microsoft Learn Get-NetFirewallPortFilter/-ApplicationFilter/-ServiceFilter/-AddressFilter and the MSFT_NetProtocolPortFilter, MSFT_NetApplicationFilter, MSFT_NetServiceFilter, MSFT_NetAddressFilter classes.
# Windows Firewall filter shadows (NetSecurity): Get-NetFirewallPortFilter, -ApplicationFilter,
# -ServiceFilter and -AddressFilter, read from the filter values of the rules in the scenario's
# `firewall.rules` (see Firewall.ps1); an absent filter value is 'Any'.

function Get-SimFirewallFilterTarget {
    <# The stored rules whose filters a Get-NetFirewall*Filter call returns. #>
    param([System.Collections.IDictionary]$Bound, [string]$PolicyStore)
    $entries = @(Get-SimFirewallRuleEntry -PolicyStore $PolicyStore)
    if ($Bound.ContainsKey('AssociatedNetFirewallRule')) {
        $keys = @($Bound['AssociatedNetFirewallRule'] | ForEach-Object { $_.SimRuleKey })
        return @($entries | Where-Object { $keys -contains $_.Key })
    }
    $entries
}

function New-SimFirewallFilterObject {
    param([string]$Class, [string]$Key, [System.Collections.Specialized.OrderedDictionary]$Properties)
    $Properties['InstanceID'] = $Key
    $Properties['CreationClassName'] = ''
    $Properties['ElementName'] = $null
    $object = [PSCustomObject]$Properties
    $object.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/$Class")
    $object
}

function ConvertTo-SimFilterList {
    <# A filter value as the cmdlets print it: one string, or a string array for several. #>
    param($Value)
    $list = @($Value | ForEach-Object { [string]$_ })
    if ($list.Count -eq 1) { return $list[0] }
    , $list
}

function Get-NetFirewallPortFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Protocol,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)][object]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Get-NetFirewallPortFilter'
        foreach ($entry in Get-SimFirewallFilterTarget -Bound $PSBoundParameters -PolicyStore $PolicyStore) {
            $rule = $entry.Rule
            if ($Protocol -and -not (Test-SimLike (Get-SimFirewallValue $rule 'Protocol') $Protocol)) { continue }
            New-SimFirewallFilterObject -Class 'MSFT_NetProtocolPortFilter' -Key $entry.Key -Properties ([ordered]@{
                    Protocol      = [string](Get-SimFirewallValue $rule 'Protocol')
                    LocalPort     = ConvertTo-SimFilterList (Get-SimFirewallValue $rule 'LocalPort')
                    RemotePort    = ConvertTo-SimFilterList (Get-SimFirewallValue $rule 'RemotePort')
                    IcmpType      = 'Any'
                    DynamicTarget = 'Any'
                })
        }
    }
}

function Get-NetFirewallApplicationFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Program,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Package,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)][object]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Get-NetFirewallApplicationFilter'
        foreach ($entry in Get-SimFirewallFilterTarget -Bound $PSBoundParameters -PolicyStore $PolicyStore) {
            if ($Program -and -not (Test-SimLike (Get-SimFirewallValue $entry.Rule 'Program') $Program)) { continue }
            New-SimFirewallFilterObject -Class 'MSFT_NetApplicationFilter' -Key $entry.Key -Properties ([ordered]@{
                    Program = [string](Get-SimFirewallValue $entry.Rule 'Program')
                    Package = $null
                })
        }
    }
}

function Get-NetFirewallServiceFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Service,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)][object]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Get-NetFirewallServiceFilter'
        foreach ($entry in Get-SimFirewallFilterTarget -Bound $PSBoundParameters -PolicyStore $PolicyStore) {
            if ($Service -and -not (Test-SimLike (Get-SimFirewallValue $entry.Rule 'Service') $Service)) { continue }
            New-SimFirewallFilterObject -Class 'MSFT_NetServiceFilter' -Key $entry.Key -Properties ([ordered]@{
                    Service = [string](Get-SimFirewallValue $entry.Rule 'Service')
                })
        }
    }
}

function Get-NetFirewallAddressFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)][object]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Get-NetFirewallAddressFilter'
        foreach ($entry in Get-SimFirewallFilterTarget -Bound $PSBoundParameters -PolicyStore $PolicyStore) {
            New-SimFirewallFilterObject -Class 'MSFT_NetAddressFilter' -Key $entry.Key -Properties ([ordered]@{
                    LocalAddress  = ConvertTo-SimFilterList (Get-SimFirewallValue $entry.Rule 'LocalAddress')
                    RemoteAddress = ConvertTo-SimFilterList (Get-SimFirewallValue $entry.Rule 'RemoteAddress')
                })
        }
    }
}
