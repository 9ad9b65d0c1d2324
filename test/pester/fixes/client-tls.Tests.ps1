# Repair-RdpClientTls.ps1 on the simulated laptop whose TLS 1.2 client is off: preview, apply, undo,
# each read back through the client settings reader (what the connect verdict is built on).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    function Get-ClientTls12 { @((Invoke-FixProbe -Script 'client/Get-RdpClientSettings.ps1').data.tls | Where-Object { $_.version -eq '1.2' })[0] }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpClientTls on client-tls12-disabled' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario 'client-tls12-disabled' -Identity 'elevated-admin' }

    It '-WhatIf plans both client values, says to restart, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'client/Repair-RdpClientTls.ps1' -Parameters @{ WhatIf = $true }
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 2
        $run.Planned[0].target | Should -Match 'TLS 1\.2\\Client'
        $run.Planned[0].action | Should -Match 'Set Enabled from 0 to 1'
        $run.Planned[1].action | Should -Match 'Set DisabledByDefault from 1 to 0'
        $run.Result.rebootRequired | Should -BeTrue
        Get-FixHostText | Should -BeExactly $before
    }

    It 'applied, the client settings read TLS 1.2 on and the server side untouched; undo brings 0 / 1 back' {
        $before = Get-FixHostSection
        (Get-ClientTls12).effective | Should -BeFalse
        $run = Invoke-FixScript -Script 'client/Repair-RdpClientTls.ps1'
        $run.ExitCode | Should -Be 0
        $run.Result.fixId | Should -Be 'client.enable-tls12'
        $tls = Get-ClientTls12
        $tls.effective | Should -BeTrue
        $tls.enabled | Should -Be 1
        $tls.disabledByDefault | Should -Be 0
        (Get-FixHostText) | Should -Not -Match 'TLS 1\.2\\\\Server'
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        @($undo.Result.restored).Count | Should -Be 2
        (Get-ClientTls12).effective | Should -BeFalse
        Get-FixHostSection | Should -BeExactly $before
    }

    It 'does nothing a second time' {
        $null = Invoke-FixScript -Script 'client/Repair-RdpClientTls.ps1'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'client/Repair-RdpClientTls.ps1'
        $run.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }
}
