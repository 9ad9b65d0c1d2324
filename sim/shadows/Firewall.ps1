# Follows: Microsoft Learn Get-NetFirewallRule (NetSecurity, -PolicyStore, -TracePolicyStore) and the MSFT_NetFirewallRule class; rule names and groups from a real Windows Server 2022 rule export.
# Windows Firewall shadows (NetSecurity / NetConnection modules). State: the scenario's `firewall`
# section.
#   rules:   { "<Name>": { Name, DisplayName, Group, DisplayGroup, Enabled 'True'|'False', Profile
#              ('Any' | 'Domain, Private' ...), Direction, Action, PolicyStoreSourceType ('Local' (default),
#              'GroupPolicy', 'Dynamic', 'Generated', 'Hardcoded', 'MDM'), PolicyStoreSource?, Protocol,
#              LocalPort (string or array), RemotePort?, Program?, Service?,
#              LocalAddress?, RemoteAddress? } }   -- filter values default to 'Any'
#   profiles: { "Domain": { Name, Enabled, DefaultInboundAction, AllowInboundRules, AllowLocalFirewallRules, ... } }
#   connectionProfiles: { "<alias>": { Name, InterfaceAlias, InterfaceIndex, NetworkCategory } }
# Output objects carry the real cmdlets' property names; enum values are their names as strings
# (a real rule's Enabled is an enum that prints True/False; `[string]` gives the same text).
# PolicyStore: ActiveStore = every rule; PersistentStore/localhost/omitted = Local rules only;
# StaticServiceStore = Hardcoded, ConfigurableServiceStore = Generated; any other store name (a GPO) =
# GroupPolicy rules only. The ActiveStore is read-only. Rules read from the ActiveStore carry
# PolicyStoreSource and PolicyStoreSourceType only with -TracePolicyStore (documented; otherwise null).
# This file: the rules and how a call selects them (Get-NetFirewallRule). Their filters are in
# FirewallFilters.ps1, the profiles in FirewallProfiles.ps1, Enable/Disable/Set in FirewallRuleChanges.ps1.

$script:SimFirewallRuleClass = 'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule'

function Test-SimFirewallStoreHolds {
    <# Whether a rule of the given source type is seen in the named policy store. #>
    param([string]$PolicyStore, [string]$SourceType)
    if ($PolicyStore -ieq 'ActiveStore') { return $true }
    if (-not $PolicyStore -or $PolicyStore -ieq 'PersistentStore' -or $PolicyStore -ieq 'localhost') { return ($SourceType -ieq 'Local') }
    if ($PolicyStore -ieq 'StaticServiceStore') { return ($SourceType -ieq 'Hardcoded') }
    if ($PolicyStore -ieq 'ConfigurableServiceStore') { return ($SourceType -ieq 'Generated') }
    $SourceType -ieq 'GroupPolicy'
}

# Where each source type's rules come from, as -TracePolicyStore names it (a rule may name its own).
$script:SimPolicyStoreSources = @{
    Local = 'PersistentStore'; GroupPolicy = 'RSOP'; Dynamic = 'Dynamic'; Generated = 'ConfigurableServiceStore'; Hardcoded = 'StaticServiceStore'; MDM = 'MDM'
}

function Get-SimFirewallValue {
    <# A stored rule value, or 'Any' for an absent filter value. #>
    param($Rule, [string]$Name, $Default = 'Any')
    if ($Rule.Contains($Name) -and $null -ne $Rule[$Name]) { return $Rule[$Name] }
    $Default
}

function Get-SimFirewallRuleEntry {
    <# Stored rules visible in the policy store: @{ Key; Rule }. #>
    param([string]$PolicyStore)
    $rules = Get-SimSection -Key 'firewall', 'rules'
    foreach ($key in @($rules.Keys)) {
        $rule = $rules[$key]
        if (Test-SimFirewallStoreHolds -PolicyStore $PolicyStore -SourceType ([string](Get-SimFirewallValue $rule 'PolicyStoreSourceType' 'Local'))) {
            @{ Key = $key; Rule = $rule }
        }
    }
}

function New-SimFirewallRuleObject {
    param([string]$Key, $Rule, [string]$PolicyStore, [switch]$Trace)
    $name = [string](Get-SimFirewallValue $Rule 'Name' $Key)
    $object = [PSCustomObject][ordered]@{
        Name                  = $name
        ID                    = $name
        DisplayName           = [string](Get-SimFirewallValue $Rule 'DisplayName' $name)
        Description           = [string](Get-SimFirewallValue $Rule 'Description' '')
        DisplayGroup          = Get-SimFirewallValue $Rule 'DisplayGroup' $null
        Group                 = Get-SimFirewallValue $Rule 'Group' $null
        Enabled               = [string](Get-SimFirewallValue $Rule 'Enabled' 'True')
        Profile               = [string](Get-SimFirewallValue $Rule 'Profile' 'Any')
        Platform              = @()
        Direction             = [string](Get-SimFirewallValue $Rule 'Direction' 'Inbound')
        Action                = [string](Get-SimFirewallValue $Rule 'Action' 'Allow')
        EdgeTraversalPolicy   = 'Block'
        LooseSourceMapping    = $false
        LocalOnlyMapping      = $false
        Owner                 = $null
        PrimaryStatus         = 'OK'
        Status                = 'The rule was parsed successfully from the store. (65536)'
        EnforcementStatus     = 'NotApplicable'
        PolicyStoreSource     = $null
        PolicyStoreSourceType = $null
        InstanceID            = $name
        ElementName           = [string](Get-SimFirewallValue $Rule 'DisplayName' $name)
        CreationClassName     = "MSFT|FW|FirewallRule|$name"
    }
    # The ActiveStore says where a rule comes from only when asked (-TracePolicyStore); a single store knows.
    $sourceType = [string](Get-SimFirewallValue $Rule 'PolicyStoreSourceType' 'Local')
    if ($PolicyStore -ine 'ActiveStore' -or $Trace) {
        $object.PolicyStoreSourceType = $sourceType
        $object.PolicyStoreSource = [string](Get-SimFirewallValue $Rule 'PolicyStoreSource' $script:SimPolicyStoreSources[$sourceType])
        if ($PolicyStore -and $PolicyStore -ine 'ActiveStore') { $object.PolicyStoreSource = $PolicyStore }
    }
    $object.PSObject.TypeNames.Insert(0, $script:SimFirewallRuleClass)
    $object | Add-Member -MemberType NoteProperty -Name SimRuleKey -Value $Key
    $object | Add-Member -MemberType NoteProperty -Name SimPolicyStore -Value $PolicyStore
    $object
}

function Test-SimLike {
    <# Whether a value matches any of the patterns (wildcards allowed); true when no patterns are given. #>
    param($Value, [string[]]$Pattern)
    if (-not $Pattern) { return $true }
    foreach ($one in $Pattern) { if ([string]$Value -like $one) { return $true } }
    $false
}

function Select-SimFirewallRule {
    <# The stored rules a Get/Enable/Disable/Set call selects, as @{ Key; Rule }. Writes not-found errors. #>
    param(
        [System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, [string]$PolicyStore,
        [string[]]$Name, [string[]]$DisplayName, [string[]]$Group, [string[]]$DisplayGroup,
        [string[]]$Enabled, [string[]]$Direction, [string[]]$Action, [string[]]$PolicyStoreSourceType
    )
    $entries = @(Get-SimFirewallRuleEntry -PolicyStore $PolicyStore)
    if ($Bound.ContainsKey('InputObject')) {
        $keys = @($Bound['InputObject'] | ForEach-Object { $_.SimRuleKey })
        return @($entries | Where-Object { $keys -contains $_.Key })
    }
    if ($Bound.ContainsKey('AssociatedFilter')) {
        $keys = @($Bound['AssociatedFilter'] | ForEach-Object { $_.InstanceID })
        return @($entries | Where-Object { $keys -contains $_.Key })
    }
    $selected = @($entries | Where-Object {
            $rule = $_.Rule
            (Test-SimLike (Get-SimFirewallValue $rule 'Name' $_.Key) $Name) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'DisplayName' '') $DisplayName) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'Group' '') $Group) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'DisplayGroup' '') $DisplayGroup) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'Enabled' 'True') $Enabled) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'Direction' 'Inbound') $Direction) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'Action' 'Allow') $Action) -and
            (Test-SimLike (Get-SimFirewallValue $rule 'PolicyStoreSourceType' 'Local') $PolicyStoreSourceType)
        })
    # Like the CDXML cmdlets: a name without wildcards that matches nothing is an error.
    foreach ($pair in @(@('Name', 'InstanceID', $Name), @('DisplayName', 'DisplayName', $DisplayName), @('Group', 'RuleGroup', $Group), @('DisplayGroup', 'DisplayGroup', $DisplayGroup))) {
        foreach ($wanted in @($pair[2])) {
            if (-not $wanted -or [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($wanted)) { continue }
            $property = $pair[0]
            if (-not @($selected | Where-Object { [string](Get-SimFirewallValue $_.Rule $property $_.Key) -ieq $wanted }).Count) {
                $Cmdlet.WriteError((New-SimObjectNotFound -Message "No MSFT_NetFirewallRule objects found with property '$($pair[1])' equal to '$wanted'. Verify the value of the property and retry." -Target $wanted))
            }
        }
    }
    $selected
}

function Get-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][ValidateSet('True', 'False')][string[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')][ValidateSet('Inbound', 'Outbound')][string[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][ValidateSet('NotConfigured', 'Allow', 'Block')][string[]]$Action,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$PolicyStoreSourceType,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter', Mandatory, ValueFromPipeline)][object]$AssociatedNetFirewallPortFilter,
        [string]$PolicyStore,
        [switch]$TracePolicyStore,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Assert-SimCommandPresent -Name 'Get-NetFirewallRule'
        Invoke-SimFault -Command 'Get-NetFirewallRule'
        $bound = @{}
        if ($PSBoundParameters.ContainsKey('AssociatedNetFirewallPortFilter')) { $bound['AssociatedFilter'] = $AssociatedNetFirewallPortFilter }
        $selected = Select-SimFirewallRule -Cmdlet $PSCmdlet -Bound $bound -PolicyStore $PolicyStore -Name $Name -DisplayName $DisplayName `
            -Group $Group -DisplayGroup $DisplayGroup -Enabled $Enabled -Direction $Direction -Action $Action -PolicyStoreSourceType $PolicyStoreSourceType
        foreach ($entry in $selected) { New-SimFirewallRuleObject -Key $entry.Key -Rule $entry.Rule -PolicyStore $PolicyStore -Trace:$TracePolicyStore }
    }
}
