# Repair-RdpTls.ps1 on the simulated host: two registry values, so failures can come half way.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:ServerKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server'
    function Get-Tls12 { @((Invoke-FixProbe -Script 'tls/Get-RdpTls.ps1').data.protocols | Where-Object { $_.version -eq '1.2' })[0] }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpTls on tls12-disabled' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'tls12-disabled' }

    It '-WhatIf plans both values, says a restart is needed, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1' -Parameters @{ WhatIf = $true }
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 2
        $run.Planned[0].action | Should -Match 'Set Enabled from 0 to 1'
        $run.Planned[1].action | Should -Match 'Set DisabledByDefault from 1 to 0'
        $run.Result.rebootRequired | Should -BeTrue
        Get-FixHostText | Should -BeExactly $before
    }

    It 'applied, the probe reads TLS 1.2 on; undo brings Enabled 0 / DisabledByDefault 1 back' {
        $before = Get-FixHostSection
        (Get-Tls12).effective | Should -BeFalse
        $run = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1'
        $run.ExitCode | Should -Be 0
        $run.Result.rebootRequired | Should -BeTrue
        ($run.Result.notes -join ' ') | Should -Match 'restart'
        $tls = Get-Tls12
        $tls.effective | Should -BeTrue
        $tls.enabled | Should -Be 1
        $tls.disabledByDefault | Should -Be 0
        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        $record.steps[0].undo.type | Should -Be 'DWord'
        $record.steps[0].undo.value | Should -Be 0
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        @($undo.Result.restored).Count | Should -Be 2
        (Get-Tls12).effective | Should -BeFalse
        Get-FixHostSection | Should -BeExactly $before
    }

    It 'a failure on the second value puts the first one back' {
        $before = Get-FixHostSection
        # Registry reads: current Enabled, its undo snapshot, then current DisabledByDefault fails.
        Set-FixHostFault -Command 'Get-ItemProperty' -Fault @{ kind = 'error'; after = 2 }
        $run = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1'
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        @($run.Result.restored).Count | Should -Be 1
        $run.Result.restored[0].ok | Should -BeTrue
        $run.Result.restored[0].action | Should -Match 'Enabled'
        Get-FixHostSection | Should -BeExactly $before
    }

    It 'when the rollback fails too, says what is left and keeps it in the undo record' {
        # The first write passes, every later write (the second value and the rollback) fails.
        Set-FixHostFault -Command 'Set-RegistryValue' -Fault @{ kind = 'access-denied'; after = 1 }
        $run = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1'
        $run.ExitCode | Should -Be 3
        $run.Result.error.kind | Should -Be 'access-denied'
        # The first value could not be put back; the refused second write changed nothing.
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 1
        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        @($record.steps).Count | Should -Be 1
        Set-FixHostFault -Command 'Set-RegistryValue' -Remove
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        (Get-Tls12).enabled | Should -Be 0
        (Get-Tls12).disabledByDefault | Should -Be 1
    }
}

Describe 'Repair-RdpTls where the TLS 1.2 key does not exist (healthy)' {
    It 'creates the values, and undo removes them again (back to the Windows default)' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        (Get-Tls12).source | Should -Be 'os-default'
        $run = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1'
        $run.ExitCode | Should -Be 0
        $run.Planned.Count | Should -Be 0
        (Get-Tls12).source | Should -Be 'registry'
        $null = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $tls = Get-Tls12
        $tls.enabled | Should -BeNullOrEmpty
        $tls.disabledByDefault | Should -BeNullOrEmpty
        $tls.source | Should -Be 'os-default'
    }

    It 'does nothing once both values are as asked' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $null = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'tls/Repair-RdpTls.ps1'
        $run.Result.outcome | Should -Be 'already-done'
        $run.Result.rebootRequired | Should -BeFalse
        Get-FixHostText | Should -BeExactly $before
    }
}
