# Follows: Microsoft Learn Enable-NetFirewallRule, Disable-NetFirewallRule and Set-NetFirewallRule (NetSecurity; the ActiveStore is read-only).
# Windows Firewall rule changes (the fixes use these): Enable-, Disable- and Set-NetFirewallRule on
# the scenario's `firewall.rules` (see Firewall.ps1), selected as Get-NetFirewallRule selects them.
# The ActiveStore is read-only.
# Faults: '<Verb>-NetFirewallRule' for every call, '<Verb>-NetFirewallRule:<Name>' for a call naming
# that rule by -Name (so a test can fail the second rule of a fix while the rollback still works).

function Assert-SimFirewallStoreWritable {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$PolicyStore)
    if ($PolicyStore -ieq 'ActiveStore') {
        $exception = [System.InvalidOperationException]::new('The ActiveStore policy store is read-only. (simulated)')
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'Windows System Error 5', 'InvalidOperation', $PolicyStore))
    }
}

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
