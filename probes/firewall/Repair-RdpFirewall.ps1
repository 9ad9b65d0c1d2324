#Requires -Version 5.1
<#
.SYNOPSIS
Turns on the built-in Remote Desktop inbound firewall rules, opens them on public networks (widens
exposure), or opens the configured RDP port in them.

.DESCRIPTION
A fix on the framework in ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md). The firewall is read
with this folder's probe (Get-RdpFirewall.ps1: rules from the ActiveStore by Name/Group, the profiles
with AllowLocalFirewallRules, the network category of each connected adapter, RDP-Tcp PortNumber),
so the fix and the check judge the same facts. The rules are changed by Name only
(RemoteDesktop-UserMode-In-TCP and RemoteDesktop-UserMode-In-UDP), never by display group, which
is localized.
- EnableRules: each rule applies to domain and private networks and is turned on. A rule that was off
  and also listed public networks is turned on for domain and private networks only: this fix never
  opens Remote Desktop on a public network.
- EnableRulesPublic (widens exposure): each rule also applies to public networks and is turned on.
- AlignPort: each rule whose LocalPort does not cover PortNumber is set to PortNumber (3389 only when
  PortNumber is absent).
When group policy makes the firewall ignore local rules (AllowLocalFirewallRules False) on a profile
the change is for, or the rule itself comes from group policy, nothing is changed and the policy is
named. Every change is one step with an undo entry (Enabled, Profile, LocalPort) taken before it.

.PARAMETER Action
EnableRules, EnableRulesPublic (widens exposure) or AlignPort.

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change it would make; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1). Exit code: 0 ok, 1 failed (everything
restored), 2 blocked by group policy, 3 restore incomplete.

.EXAMPLE
.\Repair-RdpFirewall.ps1 -Action AlignPort -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('EnableRules', 'EnableRulesPublic', 'AlignPort')][string]$Action,
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Firewall.psm1')

$script:RuleNames = @('RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP')
$script:ProfileOrder = @('Domain', 'Private', 'Public')
# Where Group Policy keeps "Apply local firewall rules" (AllowLocalPolicyMerge) and its firewall rules.
$script:FirewallPolicyRoot = 'HKLM:\SOFTWARE\Policies\Microsoft\WindowsFirewall'

function Get-RdpFirewallFixState {
    <#
    .SYNOPSIS
    The firewall as this folder's probe reads it (its envelope's data); a probe error is thrown with its kind.
    .OUTPUTS
    PSCustomObject: port, rdpRules, profiles, connectionProfiles, ...
    #>
    [CmdletBinding()]
    param()
    $json = (& (Join-Path $PSScriptRoot 'Get-RdpFirewall.ps1')) -join "`n"
    $envelope = $json | ConvertFrom-Json
    if (-not $envelope.ok) {
        throw (New-RdpProbeError -Kind ([string]$envelope.error.kind) -Message "Reading the firewall failed: $($envelope.error.message)")
    }
    $envelope.data
}

function ConvertTo-RdpProfileList {
    <#
    .SYNOPSIS
    A rule's Profile ('Any', 'Domain, Private', or the flag number) as profile names in a fixed order.
    .OUTPUTS
    System.String[]
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowEmptyString()][string]$Text)
    $trimmed = $Text.Trim()
    if ($trimmed -match '^[0-9]+$') {
        $bits = [int]$trimmed
        if ($bits -eq 0 -or ($bits -band 7) -eq 7) { return , $script:ProfileOrder }
        return , @(@{ Domain = 1; Private = 2; Public = 4 }.GetEnumerator() | Where-Object { $bits -band $_.Value } | ForEach-Object { $_.Key } | Sort-Object { [array]::IndexOf($script:ProfileOrder, $_) })
    }
    $names = @($trimmed -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    if ($names -contains 'Any') { return , $script:ProfileOrder }
    foreach ($name in $names) {
        if ($script:ProfileOrder -notcontains $name) { throw (New-RdpProbeError -Kind 'unsupported' -Message "Unrecognised firewall rule profile '$Text'; nothing was changed.") }
    }
    , @($script:ProfileOrder | Where-Object { $names -contains $_ })
}

function ConvertTo-RdpProfileText {
    <#
    .SYNOPSIS
    Profile names as the -Profile value and display text: 'Any' for all three, else 'Domain, Private'.
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowEmptyCollection()][string[]]$Profiles)
    $ordered = @($script:ProfileOrder | Where-Object { $Profiles -contains $_ })
    if ($ordered.Count -eq 3) { return 'Any' }
    $ordered -join ', '
}

function Get-RdpProfileOfCategory {
    <#
    .SYNOPSIS
    The firewall profile Windows applies to a network category (name or number).
    .OUTPUTS
    System.String
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Category)
    switch ($Category) {
        'DomainAuthenticated' { return 'Domain' }
        '2' { return 'Domain' }
        'Private' { return 'Private' }
        '1' { return 'Private' }
        'Public' { return 'Public' }
        '0' { return 'Public' }
    }
    throw (New-RdpProbeError -Kind 'unsupported' -Message "Unrecognised network category '$Category'; nothing was changed.")
}

function Get-RdpRulePlan {
    <#
    .SYNOPSIS
    For one built-in rule: what this action changes (Profile, Enabled, LocalPort), from the probe's data.
    .OUTPUTS
    PSCustomObject with Name, Rule, NewProfiles, ProfileChange, EnableChange, PortChange, Narrowed.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Rule, [Parameter(Mandatory)][string[]]$Targets, [Parameter(Mandatory)][int]$Port)
    $profiles = ConvertTo-RdpProfileList -Text ([string]$Rule.profile)
    $enabled = [string]$Rule.enabled
    if (@('True', 'False') -notcontains $enabled) { throw (New-RdpProbeError -Kind 'unsupported' -Message "Rule $($Rule.name) reports Enabled '$enabled'; nothing was changed.") }
    $plan = [PSCustomObject]@{
        Name = [string]$Rule.name; Rule = $Rule; OldProfiles = $profiles; NewProfiles = $profiles
        ProfileChange = $false; EnableChange = $false; PortChange = $false; Narrowed = $false
    }
    if ($Action -eq 'AlignPort') {
        $plan.PortChange = -not (Test-RdpPortCovered -LocalPort @($Rule.localPorts) -Port $Port)
        return $plan
    }
    $keep = $profiles
    # A rule that is off opens nothing yet: turning it on must not open public networks unasked.
    if ($Action -eq 'EnableRules' -and $enabled -eq 'False' -and $profiles -contains 'Public') {
        $keep = @($profiles | Where-Object { $_ -ne 'Public' })
        $plan.Narrowed = $true
    }
    $plan.NewProfiles = @($script:ProfileOrder | Where-Object { $keep -contains $_ -or $Targets -contains $_ })
    $plan.ProfileChange = (ConvertTo-RdpProfileText -Profiles $plan.NewProfiles) -ne (ConvertTo-RdpProfileText -Profiles $profiles)
    $plan.EnableChange = $enabled -eq 'False'
    $plan
}

$fixId = switch ($Action) {
    'EnableRules' { 'firewall.enable-rules' }
    'EnableRulesPublic' { 'firewall.enable-rules-public' }
    'AlignPort' { 'firewall.align-port' }
}
$fix = Start-RdpFix -FixId $fixId -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $before = Get-RdpFirewallFixState
    $port = [int]$before.port
    $inUse = @(@($before.connectionProfiles) | ForEach-Object { Get-RdpProfileOfCategory -Category ([string]$_.networkCategory) } | Sort-Object -Unique)
    $targets = switch ($Action) {
        'EnableRules' { @('Domain', 'Private') }
        'EnableRulesPublic' { @('Public') }
        'AlignPort' { if ($inUse.Count -gt 0) { $inUse } else { $script:ProfileOrder } }
    }
    # The profiles whose traffic this change is for: those of the connected networks, when any is a target.
    $scope = @($targets | Where-Object { $inUse -contains $_ })
    if ($scope.Count -eq 0) { $scope = @($targets) }

    # Group policy that makes Windows ignore local rules: changing them would have no effect.
    foreach ($profileName in $scope) {
        $settings = @($before.profiles | Where-Object { [string]$_.name -eq $profileName })
        if ($settings.Count -gt 0 -and [string]$settings[0].allowLocalFirewallRules -eq 'False') {
            $policyPath = "$script:FirewallPolicyRoot\$($profileName)Profile"
            Stop-RdpFixForPolicy -Fix $fix -PolicyPath $policyPath -ValueName 'AllowLocalPolicyMerge' -Value 0 `
                -Message ("Group policy makes Windows Firewall ignore local rules on the $($profileName.ToLowerInvariant()) profile (AllowLocalFirewallRules False; " +
                    "Windows Defender Firewall with Advanced Security > $profileName Profile > Settings > Apply local firewall rules: No), so changing the local Remote Desktop rules " +
                    'would have no effect and nothing was changed. Only that policy, or a rule it deploys, can let Remote Desktop in.')
            return
        }
    }

    $plans = @()
    foreach ($ruleName in $script:RuleNames) {
        $entries = @($before.rdpRules | Where-Object { [string]$_.name -eq $ruleName })
        $local = @($entries | Where-Object { [string]$_.policyStoreSourceType -eq 'Local' })
        if ($entries.Count -gt 0 -and $local.Count -eq 0) {
            $plan = Get-RdpRulePlan -Rule $entries[0] -Targets $targets -Port $port
            if ($plan.ProfileChange -or $plan.EnableChange -or $plan.PortChange) {
                Stop-RdpFixForPolicy -Fix $fix -PolicyPath "$script:FirewallPolicyRoot\FirewallRules" -ValueName $ruleName -Value $null `
                    -Message "The firewall rule $ruleName comes from group policy, which a local change cannot override, so nothing was changed. Only that policy can change the rule."
                return
            }
            continue
        }
        if ($local.Count -eq 0) {
            if ($ruleName -like '*-TCP') {
                throw (New-RdpProbeError -Kind 'not-found' -Message "The built-in firewall rule $ruleName is missing, so there is nothing to turn on; nothing was changed.")
            }
            if ($Action -ne 'AlignPort') { Add-RdpFixNote -Fix $fix -Message "The firewall rule $ruleName is missing, so Remote Desktop can use TCP only (UDP makes sessions smoother)." }
            continue
        }
        $plans += Get-RdpRulePlan -Rule $local[0] -Targets $targets -Port $port
    }
    $changing = @($plans | Where-Object { $_.ProfileChange -or $_.EnableChange -or $_.PortChange })
    if ($changing.Count -eq 0) { return }

    if ($Action -eq 'EnableRulesPublic') {
        Add-RdpFixNote -Fix $fix -Message ('This widens exposure: on a public network (a cafe, hotel or airport Wi-Fi) anyone on that network can reach the Remote Desktop sign-in of this computer. ' +
            'If the network is trusted, making it a private network is the safer fix.')
    }
    if (@($changing | Where-Object { $_.Narrowed }).Count -gt 0) {
        Add-RdpFixNote -Fix $fix -Message 'The Remote Desktop rules also listed public networks; they are turned on for domain and private networks only, so Remote Desktop stays closed on public networks.'
    }

    foreach ($plan in $changing) {
        $ruleName = $plan.Name
        $target = "Firewall rule $ruleName"
        if ($plan.ProfileChange) {
            $newProfile = ConvertTo-RdpProfileText -Profiles $plan.NewProfiles
            $undo = New-RdpFirewallRuleUndo -Name $ruleName
            $networks = (@($plan.NewProfiles) -join ', ').ToLowerInvariant() -replace ', ([a-z]+)$', ' and $1'
            Invoke-RdpFixStep -Fix $fix -Target $target -Action "Apply the rule to $networks networks (Profile $($plan.Rule.profile) -> $newProfile)" -Undo $undo -Change {
                Set-NetFirewallRule -Name $ruleName -Profile $newProfile -ErrorAction Stop
            }
        }
        if ($plan.EnableChange) {
            $undo = New-RdpFirewallRuleUndo -Name $ruleName
            Invoke-RdpFixStep -Fix $fix -Target $target -Action 'Turn the rule on (Enabled False -> True)' -Undo $undo -Change {
                Enable-NetFirewallRule -Name $ruleName -ErrorAction Stop
            }
        }
        if ($plan.PortChange) {
            $undo = New-RdpFirewallRuleUndo -Name $ruleName
            Invoke-RdpFixStep -Fix $fix -Target $target -Action "Open port $port, the configured Remote Desktop port (LocalPort $(@($plan.Rule.localPorts) -join ',') -> $port)" -Undo $undo -Change {
                Set-NetFirewallRule -Name $ruleName -LocalPort ([string]$port) -ErrorAction Stop
            }
        }
    }
    if ($fix.WhatIf) { return }

    $after = Get-RdpFirewallFixState
    $problems = @()
    foreach ($plan in $changing) {
        $rule = @($after.rdpRules | Where-Object { [string]$_.name -eq $plan.Name -and [string]$_.policyStoreSourceType -eq 'Local' })
        if ($rule.Count -eq 0) { $problems += "$($plan.Name) is gone"; continue }
        $read = "$($plan.Name): Enabled=$($rule[0].enabled), Profile=$($rule[0].profile), LocalPort=$(@($rule[0].localPorts) -join ',')"
        if ($Action -eq 'AlignPort') {
            if (-not (Test-RdpPortCovered -LocalPort @($rule[0].localPorts) -Port $port)) { $problems += $read }
            continue
        }
        $profiles = ConvertTo-RdpProfileList -Text ([string]$rule[0].profile)
        $missing = @($targets | Where-Object { $profiles -notcontains $_ })
        if ([string]$rule[0].enabled -ne 'True' -or $missing.Count -gt 0) { $problems += $read }
    }
    Assert-RdpFixVerified -Fix $fix -Condition ($problems.Count -eq 0) -Message "after the change the firewall reads $($problems -join '; ') (port $port)."
}
exit $fix.ExitCode
