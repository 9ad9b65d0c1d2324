# Start-RdpHealthHostCheck.ps1 on the simulated Task Scheduler: a standard user's "Check now" runs the
# registered host checker task (Users may run it: the installer's task descriptor) and waits for the run;
# no task is said plainly; a descriptor that does not grant Users is refused as access denied.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot '../fixes/FixTestHost.ps1')
    $script:Register = Join-Path $script:RepoRoot 'probes/common/Register-RdpHealthHostChecker.ps1'
    $script:Request = Join-Path $script:RepoRoot 'probes/common/Start-RdpHealthHostCheck.ps1'
    function Get-HostCheckerTask { (Get-SimSection -Key 'scheduledTasks', '\RDP Health', 'tasks')['Host Checker'] }
    function Invoke-Request { (& $script:Request -TimeoutSeconds 5) | ConvertFrom-Json }
}

Describe 'Start-RdpHealthHostCheck.ps1 (Check now, with the user''s own rights)' {
    AfterEach { Remove-Item Env:\RDP_HEALTH_SIM_IDENTITY -ErrorAction SilentlyContinue }

    It 'runs the host checker task for a standard user and waits for the run to end' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $null = & $script:Register
        $env:RDP_HEALTH_SIM_IDENTITY = 'standard-user'
        $result = Invoke-Request
        $result.ok | Should -BeTrue
        $result.data.state | Should -Be 'ran'
        $result.data.lastTaskResult | Should -Be 0
        (Get-HostCheckerTask).runs | Should -Be 1
        (Get-HostCheckerTask).lastRunParameters | Should -BeNullOrEmpty
    }

    It 'says so when no host checker is registered (a portable copy), and runs nothing' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $result = Invoke-Request
        $result.ok | Should -BeTrue
        $result.data.state | Should -Be 'absent'
        $result.data.reason | Should -Match 'not registered'
    }

    It 'is refused as access denied when the task''s descriptor does not let Users run it' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $null = & $script:Register
        $state = Get-SimState
        $state['scheduledTasks']['\RDP Health']['tasks']['Host Checker']['sddl'] = 'D:P(A;;GA;;;SY)(A;;GA;;;BA)'
        Save-SimState -State $state
        $env:RDP_HEALTH_SIM_IDENTITY = 'standard-user'
        $result = Invoke-Request
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
        (Get-HostCheckerTask).Contains('runs') | Should -BeFalse
    }
}
