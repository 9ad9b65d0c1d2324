# Repair-RdpNla.ps1 on the simulated host: preview, apply, verify with the probe, undo, failure half
# way, and the group policy rule.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpNla -Action Enable on nla-off-local' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'nla-off-local' }

    It '-WhatIf describes the change as a PLANNED line and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        $run.Result.whatIf | Should -BeTrue
        @($run.Planned).Count | Should -Be 1
        $run.Planned[0].action | Should -Match 'UserAuthentication 0 -> 1'
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It 'applied, the probe reads NLA on, and the result and undo record are written' {
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $run.ExitCode | Should -Be 0
        $run.Result.ok | Should -BeTrue
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.changes).Count | Should -Be 1
        $run.Result.undoAvailable | Should -BeTrue
        $probe = Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1'
        $probe.data.effective | Should -Be 1
        $probe.data.wmiValue | Should -Be 1
        $id = $run.Result.recordId
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$id.result.json") | Should -BeTrue
        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$id.undo.json") -Raw | ConvertFrom-Json
        $record.fixId | Should -Be 'nla.enable'
        $record.steps[0].undo.kind | Should -Be 'cim-method'
        $record.steps[0].undo.arguments.UserAuthenticationRequired | Should -Be 0
    }

    It 'undo brings the old state back, and a record is undone only once' {
        $before = Get-FixHostSection
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; RecordId = '20250101T120000Z-nla_enable-0123abcd' }
        $run.Result.recordId | Should -Be '20250101T120000Z-nla_enable-0123abcd'
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        $undo.Result.outcome | Should -Be 'undone'
        @($undo.Result.restored | Where-Object { $_.ok }).Count | Should -Be 1
        Get-FixHostSection | Should -BeExactly $before
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
        $again = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $again.ExitCode | Should -Be 1
        $again.Result.error.message | Should -Match 'undone already'
    }

    It 'undo -WhatIf lists what it would put back and changes nothing' {
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $before = Get-FixHostText
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId; WhatIf = $true }
        $undo.Result.outcome | Should -Be 'planned'
        $undo.Planned[0].action | Should -Match 'UserAuthenticationRequired=0'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'a failure after the change (the verifying read fails) restores the old value and reports both' {
        $before = Get-FixHostSection
        # The first read of Win32_TSGeneralSetting passes; the one that verifies the change fails.
        Set-FixHostFault -Command 'Get-CimInstance:Win32_TSGeneralSetting' -Fault @{ kind = 'error'; after = 1 }
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $run.ExitCode | Should -Be 1
        $run.Result.ok | Should -BeFalse
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'Simulated failure'
        @($run.Result.changes).Count | Should -Be 0
        @($run.Result.restored).Count | Should -Be 1
        $run.Result.restored[0].ok | Should -BeTrue
        $run.Result.undoAvailable | Should -BeFalse
        Get-FixHostSection | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'a failure the restore cannot get past is reported as such and the undo record keeps the step' {
        # The change itself passes; the same method fails when the rollback calls it again.
        Set-FixHostFault -Command 'Get-CimInstance:Win32_TSGeneralSetting' -Fault @{ kind = 'error'; after = 1 }
        Set-FixHostFault -Command 'Invoke-CimMethod:SetUserAuthenticationRequired' -Fault @{ kind = 'access-denied'; after = 1 }
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $run.ExitCode | Should -Be 3
        $run.Result.restored[0].ok | Should -BeFalse
        $run.Result.undoAvailable | Should -BeTrue
        # Once the cause is gone, the kept record puts the old value back.
        Set-FixHostFault -Command 'Invoke-CimMethod:SetUserAuthenticationRequired' -Remove
        Set-FixHostFault -Command 'Get-CimInstance:Win32_TSGeneralSetting' -Remove
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
    }
}

Describe 'Repair-RdpNla when group policy sets the value' {
    It 'changes nothing and names the policy (nla-off-by-policy)' {
        $testHost = Initialize-FixTestHost -Scenario 'nla-off-by-policy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $run.ExitCode | Should -Be 2
        $run.Result.outcome | Should -Be 'blocked'
        $run.Result.policy.path | Should -Be 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
        $run.Result.policy.name | Should -Be 'UserAuthentication'
        $run.Result.policy.value | Should -Be 0
        $run.Result.policy.message | Should -Match 'Group policy'
        @($run.Result.changes).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'says the same in the -WhatIf preview' {
        $null = Initialize-FixTestHost -Scenario 'nla-off-by-policy'
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'blocked'
        @($run.Planned).Count | Should -Be 0
    }
}

Describe 'Repair-RdpNla -Action Disable' {
    It 'turns NLA off on a healthy host, says it lowers security, and undo turns it back on' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Disable' }
        $run.ExitCode | Should -Be 0
        $run.Result.fixId | Should -Be 'nla.disable'
        ($run.Result.notes -join ' ') | Should -Match 'lowers security'
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
        $null = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 1
    }

    It 'does nothing when NLA is already as asked' {
        $testHost = Initialize-FixTestHost -Scenario 'healthy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'accepts only the actions of its ValidateSet' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        { & (Join-Path $script:RepoRoot 'probes/nla/Repair-RdpNla.ps1') -Action 'Enable; Remove-Item x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpNla.ps1'
        { & (Join-Path $script:RepoRoot 'probes/nla/Repair-RdpNla.ps1') -Action 'Enable' -RecordId '../../x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpNla.ps1'
    }
}
