# Fixes where real Windows parts from the first simulated host (issue 11): a TermService restart that
# hangs in Stop Pending must end at a deadline and restore; a WMI setter that throws CimException
# 0x80041016 under a policy must say the policy, not an unexplained error.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    function Get-Listener { (Invoke-FixProbe -Script 'listener/Get-RdpListener.ps1').data }
}

Describe 'Repair-RdpListener -Action RestartService when TermService hangs in Stop Pending (termservice-stop-hangs)' {
    It 'gives up at the deadline, fails naming the timeout, and TermService runs again' {
        $null = Initialize-FixTestHost -Scenario 'termservice-stop-hangs'
        $run = Invoke-FixScript -Script 'listener/Repair-RdpListener.ps1' -Parameters @{ Action = 'RestartService' }
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'TermService did not reach Stopped within 60 seconds \(it is StopPending\)'
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        $listener = Get-Listener
        $listener.termService.state | Should -Be 'Running'
        $listener.listeningByTermService | Should -BeTrue
        # The forced stop stopped UmRdpService (it depends on TermService): the restore starts it again.
        $listener.umRdpService.state | Should -Be 'Running'
        @($run.Result.restored | Where-Object { $_.action -match 'and start UmRdpService again' }).Count | Should -Be 1
    }

    It 'the undo entry records only the dependents that were running, and starts just those again' {
        Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.ServiceRestart.psm1') -Force
        $null = Initialize-FixTestHost -Scenario 'termservice-stop-hangs'
        $entry = ConvertTo-Json -InputObject (New-RdpTermServiceUndo) | ConvertFrom-Json
        @($entry.dependents) | Should -Be @('UmRdpService')
        $scenario = New-SimScenarioFile -Extends 'termservice-stop-hangs' -Name 'umrdp-stopped' -Patch @{ cim = @{ 'root/cimv2:Win32_Service' = @{ UmRdpService = @{ State = 'Stopped'; Started = $false; ProcessId = 0 } } } }
        $null = Initialize-FixTestHost -Scenario $scenario
        $stoppedBefore = ConvertTo-Json -InputObject (New-RdpTermServiceUndo) | ConvertFrom-Json
        @($stoppedBefore.dependents).Count | Should -Be 0
        { Restart-RdpTermService -TimeoutSeconds 5 } | Should -Throw '*did not reach Stopped within 5 seconds*'
        Restore-RdpUndoEntry -Entry $stoppedBefore
        (Get-Service -Name 'TermService').Status | Should -Be 'Running'
        (Get-Service -Name 'UmRdpService').Status | Should -Be 'Stopped'
    }
}

Describe 'Wait-RdpServiceStatus' {
    It 'returns at once when the service already has the status, and throws a timeout error otherwise' {
        Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.ServiceRestart.psm1') -Force
        $null = Initialize-FixTestHost -Scenario 'termservice-stopped'
        { Wait-RdpServiceStatus -Name 'TermService' -Status Stopped -TimeoutSeconds 5 } | Should -Not -Throw
        { Wait-RdpServiceStatus -Name 'TermService' -Status Running -TimeoutSeconds 5 } | Should -Throw '*did not reach Running within 5 seconds (it is Stopped)*'
    }
}

Describe 'Repair-RdpNla when the WMI setter throws WBEM_E_INVALID_OPERATION (nla-setter-refused-by-policy)' {
    It 'fails with the policy message and changes nothing: no rollback of the refused first step, no undo record' {
        $testHost = Initialize-FixTestHost -Scenario 'nla-setter-refused-by-policy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable' }
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'refused \(0x80041016\): group policy controls this setting'
        $run.ExitCode | Should -Be 1
        @($run.Result.restored).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        @(Get-ChildItem -LiteralPath $testHost.FixRoot -Filter '*.undo.json') | Should -HaveCount 0
        Get-FixHostText | Should -BeExactly $before
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
    }

}
