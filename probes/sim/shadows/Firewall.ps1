# Windows Firewall shadows (NetSecurity / NetConnection modules). State: the scenario's `firewall`
# section.
#   rules:   { "<Name>": { Name, DisplayName, Group, DisplayGroup, Enabled 'True'|'False', Profile
#              ('Any' | 'Domain, Private' ...), Direction, Action, PolicyStoreSourceType ('Local' |
#              'GroupPolicy'), Protocol, LocalPort (string or array), RemotePort?, Program?, Service?,
#              LocalAddress?, RemoteAddress? } }   -- filter values default to 'Any'
#   profiles: { "Domain": { Name, Enabled, DefaultInboundAction, AllowInboundRules, AllowLocalFirewallRules, ... } }
#   connectionProfiles: { "<alias>": { Name, InterfaceAlias, InterfaceIndex, NetworkCategory } }
# Output objects carry the real cmdlets' property names; enum values are their names as strings
# (a real rule's Enabled is an enum that prints True/False; `[string]` gives the same text).
# PolicyStore: ActiveStore = every rule; PersistentStore/localhost/omitted = local rules only; any
# other store name (a GPO) = GroupPolicy rules only. The ActiveStore is read-only.

$script:SimFirewallRuleClass = 'Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule'

function Test-SimFirewallStoreHolds {
    <# Whether a rule of the given source type is seen in the named policy store. #>
    param([string]$PolicyStore, [string]$SourceType)
    if ($PolicyStore -ieq 'ActiveStore') { return $true }
    if (-not $PolicyStore -or $PolicyStore -ieq 'PersistentStore' -or $PolicyStore -ieq 'localhost') { return ($SourceType -ine 'GroupPolicy') }
    $SourceType -ieq 'GroupPolicy'
}

function Assert-SimFirewallStoreWritable {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$PolicyStore)
    if ($PolicyStore -ieq 'ActiveStore') {
        $exception = [System.InvalidOperationException]::new('The ActiveStore policy store is read-only. (simulated)')
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'Windows System Error 5', 'InvalidOperation', $PolicyStore))
    }
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
    param([string]$Key, $Rule, [string]$PolicyStore)
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
        PolicyStoreSource     = $(if ($PolicyStore -ieq 'ActiveStore') { 'PersistentStore' } else { $PolicyStore })
        PolicyStoreSourceType = [string](Get-SimFirewallValue $Rule 'PolicyStoreSourceType' 'Local')
        InstanceID            = $name
        ElementName           = [string](Get-SimFirewallValue $Rule 'DisplayName' $name)
        CreationClassName     = "MSFT|FW|FirewallRule|$name"
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
        foreach ($entry in $selected) { New-SimFirewallRuleObject -Key $entry.Key -Rule $entry.Rule -PolicyStore $PolicyStore }
    }
}

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

# ---------------------------------------------------------------- changes (the fixes use these)
# Faults: '<Verb>-NetFirewallRule' for every call, '<Verb>-NetFirewallRule:<Name>' for a call naming
# that rule by -Name (so a test can fail the second rule of a fix while the rollback still works).

function Update-SimFirewallRule {
    <# Applies property changes to the selected stored rules and saves the working copy. #>
    param([System.Management.Automation.PSCmdlet]$Cmdlet, $Selected, [hashtable]$Changes, [string]$Verb, [string]$PolicyStore, [switch]$PassThru)
    $state = Get-SimState
    $rules = $state['firewall']['rules']
    $changed = $false
    foreach ($entry in @($Selected)) {
        if (-not $Cmdlet.ShouldProcess("$($entry.Key)", $Verb)) { continue }
        foreach ($property in $Changes.Keys) { $rules[$entry.Key][$property] = $Changes[$property] }
        $changed = $true
    }
    if ($changed) { Save-SimState -State $state }
    if ($PassThru) {
        $fresh = Get-SimSection -Key 'firewall', 'rules'
        foreach ($entry in @($Selected)) { New-SimFirewallRuleObject -Key $entry.Key -Rule $fresh[$entry.Key] -PolicyStore $PolicyStore }
    }
}

function Set-SimFirewallRuleEnabled {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.IDictionary]$Bound, [string]$Value, [string]$Verb)
    Assert-SimFirewallStoreWritable -Cmdlet $Cmdlet -PolicyStore $Bound['PolicyStore']
    $select = @{ Cmdlet = $Cmdlet; Bound = $Bound; PolicyStore = $Bound['PolicyStore'] }
    foreach ($parameterName in 'Name', 'DisplayName', 'Group', 'DisplayGroup', 'Direction', 'Action') { if ($Bound.ContainsKey($parameterName)) { $select[$parameterName] = $Bound[$parameterName] } }
    $selected = Select-SimFirewallRule @select
    Update-SimFirewallRule -Cmdlet $Cmdlet -Selected $selected -Changes @{ Enabled = $Value } -Verb $Verb -PolicyStore $Bound['PolicyStore'] -PassThru:([bool]$Bound['PassThru'])
}

function Enable-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Action,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)][object[]]$InputObject,
        [string]$PolicyStore,
        [switch]$TracePolicyStore,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Enable-NetFirewallRule'
        foreach ($faultRuleName in @($Name | Where-Object { $_ })) { Invoke-SimFault -Command "Enable-NetFirewallRule:$faultRuleName" }
        Set-SimFirewallRuleEnabled -Cmdlet $PSCmdlet -Bound $PSBoundParameters -Value 'True' -Verb 'Enable'
    }
}

function Disable-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Action,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)][object[]]$InputObject,
        [string]$PolicyStore,
        [switch]$TracePolicyStore,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Disable-NetFirewallRule'
        foreach ($faultRuleName in @($Name | Where-Object { $_ })) { Invoke-SimFault -Command "Disable-NetFirewallRule:$faultRuleName" }
        Set-SimFirewallRuleEnabled -Cmdlet $PSCmdlet -Bound $PSBoundParameters -Value 'False' -Verb 'Disable'
    }
}

function ConvertTo-SimFirewallProfileText {
    <# -Profile Domain,Private -> 'Domain, Private'; all three or Any -> 'Any' (the enum's names). #>
    param([string[]]$Profile)
    $names = @($Profile | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    if ($names -contains 'Any') { return 'Any' }
    $ordered = @('Domain', 'Private', 'Public' | Where-Object { $names -contains $_ })
    foreach ($name in $names) { if (@('Domain', 'Private', 'Public') -notcontains $name) { throw [System.ArgumentException]::new("Cannot convert value '$name' to type Profile. (simulated)") } }
    if ($ordered.Count -eq 3) { return 'Any' }
    $ordered -join ', '
}

function Set-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByDisplayGroup', Mandatory)][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByGroup', Mandatory)][string[]]$Group,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory, ValueFromPipeline)][object[]]$InputObject,
        [string]$PolicyStore,
        [string]$NewDisplayName,
        [string]$Description,
        [ValidateSet('True', 'False')][string]$Enabled,
        [string[]]$Profile,
        [ValidateSet('Inbound', 'Outbound')][string]$Direction,
        [ValidateSet('NotConfigured', 'Allow', 'Block')][string]$Action,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Program,
        [string]$Service,
        [switch]$PassThru,
        [object[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Invoke-SimFault -Command 'Set-NetFirewallRule'
        foreach ($faultRuleName in @($Name | Where-Object { $_ })) { Invoke-SimFault -Command "Set-NetFirewallRule:$faultRuleName" }
        Assert-SimFirewallStoreWritable -Cmdlet $PSCmdlet -PolicyStore $PolicyStore
        $changes = @{}
        if ($PSBoundParameters.ContainsKey('NewDisplayName')) { $changes['DisplayName'] = $NewDisplayName }
        foreach ($parameterName in 'Description', 'Enabled', 'Direction', 'Action', 'Protocol', 'Program', 'Service') {
            if ($PSBoundParameters.ContainsKey($parameterName)) { $changes[$parameterName] = [string]$PSBoundParameters[$parameterName] }
        }
        foreach ($parameterName in 'LocalPort', 'RemotePort', 'LocalAddress', 'RemoteAddress') {
            if ($PSBoundParameters.ContainsKey($parameterName)) { $changes[$parameterName] = ConvertTo-SimFilterList @($PSBoundParameters[$parameterName] | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() }) }
        }
        if ($PSBoundParameters.ContainsKey('Profile')) { $changes['Profile'] = ConvertTo-SimFirewallProfileText -Profile $Profile }
        $select = @{ Cmdlet = $PSCmdlet; Bound = $PSBoundParameters; PolicyStore = $PolicyStore }
        foreach ($parameterName in 'Name', 'DisplayName', 'Group', 'DisplayGroup') { if ($PSBoundParameters.ContainsKey($parameterName)) { $select[$parameterName] = $PSBoundParameters[$parameterName] } }
        $selected = Select-SimFirewallRule @select
        Update-SimFirewallRule -Cmdlet $PSCmdlet -Selected $selected -Changes $changes -Verb 'Set' -PolicyStore $PolicyStore -PassThru:$PassThru
    }
}
