# Repair-RdpFirewall.ps1 on the simulated host: preview, apply, verify with the probe, undo, failure half
# way, and the group policy rules (local rules ignored; a rule that comes from group policy).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')

    $script:Script = 'firewall/Repair-RdpFirewall.ps1'
    $script:Tcp = 'RemoteDesktop-UserMode-In-TCP'
    $script:Udp = 'RemoteDesktop-UserMode-In-UDP'

    function Get-ProbeRule([string]$Name) {
        $probe = Invoke-FixProbe -Script 'firewall/Get-RdpFirewall.ps1'
        $probe.ok | Should -BeTrue
        @($probe.data.rdpRules | Where-Object { $_.name -eq $Name })[0]
    }

    # Both user-mode rules off; the adapter is on a domain network.
    $script:RulesOffPatch = @{
        firewall = @{
            rules = @{
                'RemoteDesktop-UserMode-In-TCP' = @{ Enabled = 'False' }
                'RemoteDesktop-UserMode-In-UDP' = @{ Enabled = 'False' }
            }
        }
    }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpFirewall -Action EnableRulesPublic on firewall-public-blocked' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'firewall-public-blocked' }

    It '-WhatIf plans one profile change per rule, says it widens exposure, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRulesPublic'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 2
        $run.Planned[0].target | Should -Be "Firewall rule $script:Tcp"
        $run.Planned[0].action | Should -Match 'Profile Domain, Private -> Any'
        $run.Planned[1].target | Should -Be "Firewall rule $script:Udp"
        ($run.Result.notes -join ' ') | Should -Match 'widens exposure'
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It 'applied, the probe reads both rules on for public networks, and undo puts the old profiles back' {
        $before = Get-HostStateText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRulesPublic' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        $run.Result.fixId | Should -Be 'firewall.enable-rules-public'
        @($run.Result.changes).Count | Should -Be 2
        ($run.Result.notes -join ' ') | Should -Match 'widens exposure'
        foreach ($name in $script:Tcp, $script:Udp) {
            $rule = Get-ProbeRule $name
            $rule.enabled | Should -Be 'True'
            $rule.profile | Should -Be 'Any'
        }
        # Not touched: the shadowing rule, which the fix does not own.
        (Get-ProbeRule 'RemoteDesktop-Shadow-In-TCP').profile | Should -Be 'Domain, Private'

        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        @($record.steps).Count | Should -Be 2
        $record.steps[0].undo.kind | Should -Be 'firewall-rule'
        $record.steps[0].undo.profile | Should -Be 'Domain, Private'

        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        @($undo.Result.restored | Where-Object { $_.ok }).Count | Should -Be 2
        Get-HostStateText | Should -BeExactly $before
    }

    It 'a failure on the second rule restores the first and reports it (the refused second changed nothing)' {
        $before = Get-HostStateText
        Set-FixHostFault -Command "Set-NetFirewallRule:$script:Udp" -Fault @{ kind = 'error'; times = 1 }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRulesPublic' }
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'Simulated failure'
        @($run.Result.changes).Count | Should -Be 0
        @($run.Result.restored | ForEach-Object { $_.target }) | Should -Be @("Firewall rule $script:Tcp")
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        Get-HostStateText | Should -BeExactly $before
        (Get-ProbeRule $script:Tcp).profile | Should -Be 'Domain, Private'
    }

    It 'when the rollback fails too, exit code 3 and the undo record keeps what is left' {
        # The first Set-NetFirewallRule passes; every later one (the second rule, then the rollback) fails.
        Set-FixHostFault -Command 'Set-NetFirewallRule' -Fault @{ kind = 'access-denied'; after = 1 }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRulesPublic' }
        $run.ExitCode | Should -Be 3
        $run.Result.undoAvailable | Should -BeTrue
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -BeGreaterThan 0
        Set-FixHostFault -Command 'Set-NetFirewallRule' -Remove
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        (Get-ProbeRule $script:Tcp).profile | Should -Be 'Domain, Private'
    }

    It 'EnableRules changes nothing here: it never opens a rule on public networks' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRules' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpFirewall -Action EnableRules with both rules turned off' {
    BeforeEach {
        $testHost = Initialize-FixTestHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch $script:RulesOffPatch -Name 'rules-off')
    }

    It 'turns both rules on for domain and private networks only, by name, and says public stays closed' {
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRules' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        # Per rule: narrow the profile while the rule is still off, then turn it on.
        @($run.Result.changes | ForEach-Object { $_.action }) | Should -Be @(
            'Apply the rule to domain and private networks (Profile Any -> Domain, Private)', 'Turn the rule on (Enabled False -> True)',
            'Apply the rule to domain and private networks (Profile Any -> Domain, Private)', 'Turn the rule on (Enabled False -> True)')
        ($run.Result.notes -join ' ') | Should -Match 'stays closed on public networks'
        foreach ($name in $script:Tcp, $script:Udp) {
            $rule = Get-ProbeRule $name
            $rule.enabled | Should -Be 'True'
            $rule.profile | Should -Be 'Domain, Private'
        }
    }

    It 'a failure on the second Enable-NetFirewallRule call leaves the host as it was' {
        $before = Get-HostStateText
        Set-FixHostFault -Command 'Enable-NetFirewallRule' -Fault @{ kind = 'error'; after = 1 }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRules' }
        $run.ExitCode | Should -Be 1
        # The three steps before it; the refused Enable-NetFirewallRule changed nothing.
        @($run.Result.restored).Count | Should -Be 3
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        Get-HostStateText | Should -BeExactly $before
        (Get-ProbeRule $script:Tcp).enabled | Should -Be 'False'
    }

    It 'undo turns both rules off again' {
        $before = Get-HostStateText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRules' }
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        Get-HostStateText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpFirewall -Action AlignPort on custom-port-3390' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'custom-port-3390' }

    It '-WhatIf plans the port change for both rules and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AlignPort'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 2
        $run.Planned[0].action | Should -Match 'LocalPort 3389 -> 3390'
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It 'applied, the probe reads port 3390 in both rules; undo puts 3389 back' {
        $before = Get-HostStateText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AlignPort' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        foreach ($name in $script:Tcp, $script:Udp) { @((Get-ProbeRule $name).localPorts) | Should -Be @('3390') }
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        Get-HostStateText | Should -BeExactly $before
        @((Get-ProbeRule $script:Tcp).localPorts) | Should -Be @('3389')
    }

    It 'a failure on the second Set-NetFirewallRule call restores the first rule' {
        $before = Get-HostStateText
        Set-FixHostFault -Command "Set-NetFirewallRule:$script:Udp" -Fault @{ kind = 'error'; times = 1 }
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AlignPort' }
        $run.ExitCode | Should -Be 1
        @($run.Result.restored | ForEach-Object { "$($_.target)=$($_.ok)" }) | Should -Be @("Firewall rule $script:Tcp=True")
        Get-HostStateText | Should -BeExactly $before
    }

    It 'does nothing once the rules cover the port' {
        $null = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AlignPort' }
        $before = Get-FixHostText
        $again = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'AlignPort' }
        $again.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpFirewall when group policy decides' {
    It 'local rules ignored on the public profile: nothing changed, the policy named' {
        $scenario = New-SimScenarioFile -Extends 'firewall-public-blocked' -Name 'local-ignored' -Patch @{
            firewall = @{ profiles = @{ Public = @{ AllowLocalFirewallRules = 'False' } } }
        }
        $testHost = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        foreach ($whatIf in $true, $false) {
            $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRulesPublic'; WhatIf = $whatIf }
            $run.ExitCode | Should -Be 2
            $run.Result.outcome | Should -Be 'blocked'
            @($run.Planned).Count | Should -Be 0
            $run.Result.policy.path | Should -Be 'HKLM:\SOFTWARE\Policies\Microsoft\WindowsFirewall\PublicProfile'
            $run.Result.policy.name | Should -Be 'AllowLocalPolicyMerge'
            $run.Result.policy.message | Should -Match 'AllowLocalFirewallRules False'
            $run.Result.policy.message | Should -Match 'Apply local firewall rules: No'
        }
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'a Remote Desktop rule that comes from group policy is not changed locally' {
        $patch = @{ firewall = @{ rules = @{ 'RemoteDesktop-UserMode-In-TCP' = @{ Enabled = 'False'; PolicyStoreSourceType = 'GroupPolicy' } } } }
        $null = Initialize-FixTestHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch $patch -Name 'gp-rule')
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $script:Script -Parameters @{ Action = 'EnableRules' }
        $run.ExitCode | Should -Be 2
        $run.Result.policy.name | Should -Be $script:Tcp
        $run.Result.policy.message | Should -Match 'comes from group policy'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'accepts only the actions of its ValidateSet' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        { & (Join-Path $script:RepoRoot "probes/$script:Script") -Action 'EnableRules; Remove-Item x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpFirewall.ps1'
        { & (Join-Path $script:RepoRoot "probes/$script:Script") -Action 'AlignPort' -RecordId '../x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpFirewall.ps1'
    }
}
