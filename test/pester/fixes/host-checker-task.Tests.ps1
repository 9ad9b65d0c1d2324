# Register-RdpHealthHostChecker.ps1 on the simulated Task Scheduler (sim/shadows/TaskScheduler.ps1):
# the registered definition runs as SYSTEM, the fixed action takes no arguments from a caller, Users may
# only read and run the task, the triggers follow CheckIntervalMinutes, registering again replaces it,
# and -Unregister removes it.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:Register = Join-Path $script:RepoRoot 'probes/common/Register-RdpHealthHostChecker.ps1'
    function Invoke-Register {
        param([switch]$Unregister)
        $global:LASTEXITCODE = 0
        $lines = @(& $script:Register -Unregister:$Unregister)
        [PSCustomObject]@{ Lines = $lines; ExitCode = $global:LASTEXITCODE }
    }
    function Get-HostCheckerTask { (Get-SimSection -Key 'scheduledTasks', '\RDP Health', 'tasks')['Host Checker'] }
    # The ACEs of an SDDL DACL as { Rights, Sid } (e.g. "(A;;GRGX;;;BU)" -> GRGX, BU).
    function Get-SddlAce {
        param([string]$Sddl)
        foreach ($m in [regex]::Matches($Sddl, '\(([^)]*)\)')) {
            $parts = $m.Groups[1].Value.Split(';')
            [PSCustomObject]@{ Type = $parts[0]; Rights = $parts[2]; Sid = $parts[5] }
        }
    }
}

Describe 'Register-RdpHealthHostChecker.ps1' {
    BeforeEach { $null = Initialize-FixTestHost -Scenario 'healthy' }

    It 'registers \RDP Health\Host Checker as SYSTEM (service account logon, highest run level)' {
        $run = Invoke-Register
        $run.ExitCode | Should -Be 0
        $run.Lines[-1] | Should -Match 'Registered \\RDP Health\\Host Checker as SYSTEM'
        $task = Get-HostCheckerTask
        $task.principal.userId | Should -Be 'SYSTEM'
        $task.principal.logonType | Should -Be 5
        $task.principal.runLevel | Should -Be 1
    }

    It 'runs the fixed command "(install folder)\RDP Health.exe" host-check, with nothing a caller can add' {
        $null = Invoke-Register
        $actions = @((Get-HostCheckerTask).actions)
        $actions | Should -HaveCount 1
        $installFolder = Split-Path -Parent (Split-Path -Parent (Split-Path -Parent (Split-Path -Parent $script:Register)))
        $actions[0].path | Should -Be ($installFolder.TrimEnd('\', '/') + '\RDP Health.exe')
        $actions[0].arguments | Should -BeExactly 'host-check'
        $actions[0].arguments | Should -Not -Match '\$\(Arg'
    }

    It 'lets Users read and run this one task and nothing more; its folder Users may only read' {
        $null = Invoke-Register
        $aces = @(Get-SddlAce -Sddl (Get-HostCheckerTask).sddl)
        (Get-HostCheckerTask).sddl | Should -Match '^D:P'
        ($aces | Where-Object Sid -EQ 'BU').Rights | Should -BeExactly 'GRGX'
        @($aces | Where-Object { $_.Sid -notin @('SY', 'BA', 'BU') }) | Should -HaveCount 0
        @($aces | Where-Object Type -NE 'A') | Should -HaveCount 0
        $folderAces = @(Get-SddlAce -Sddl (Get-SimSection -Key 'scheduledTasks', '\RDP Health').sddl)
        ($folderAces | Where-Object Sid -EQ 'BU').Rights | Should -BeExactly 'GR'
    }

    It 'triggers at start-up and every 30 minutes by default; one instance at a time, a time limit, hidden' {
        $null = Invoke-Register
        $task = Get-HostCheckerTask
        @($task.triggers.type) | Should -Be @(8, 1)
        @($task.triggers | ForEach-Object { $_.repetition.interval }) | Should -Be @('PT30M', 'PT30M')
        @($task.triggers | ForEach-Object { $_.repetition.duration }) | Should -Be @('', '') # indefinitely
        $task.settings.multipleInstances | Should -Be 2
        $task.settings.hidden | Should -BeTrue
        $task.settings.executionTimeLimit | Should -Match '^PT[1-9][0-9]*M$'
    }

    It 'follows the policy CheckIntervalMinutes (<Value> -> <Interval>)' -ForEach @(
        @{ Value = 10; Interval = 'PT10M' }, @{ Value = 2; Interval = 'PT30M' }, @{ Value = 'ten'; Interval = 'PT30M' }
    ) {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'interval' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Policies\RDP Health' = @{ CheckIntervalMinutes = $Value } } }
        $null = Initialize-FixTestHost -Scenario $scenario
        $null = Invoke-Register
        @((Get-HostCheckerTask).triggers | ForEach-Object { $_.repetition.interval }) | Should -Be @($Interval, $Interval)
    }

    It 'registers again in place (idempotent) and re-applies the descriptors' {
        $null = Invoke-Register
        $state = Get-SimState
        $state['scheduledTasks']['\RDP Health']['sddl'] = 'D:(A;;GA;;;WD)'
        $state['scheduledTasks']['\RDP Health']['tasks']['Host Checker']['sddl'] = 'D:(A;;GA;;;WD)'
        Save-SimState -State $state
        (Invoke-Register).ExitCode | Should -Be 0
        @((Get-SimSection -Key 'scheduledTasks', '\RDP Health', 'tasks').Keys) | Should -Be @('Host Checker')
        (Get-HostCheckerTask).sddl | Should -Not -Match 'WD'
        (Get-SimSection -Key 'scheduledTasks', '\RDP Health').sddl | Should -Not -Match 'WD'
    }

    It '-Unregister removes the task and its folder; again, there is nothing to remove and that is fine' {
        $null = Invoke-Register
        $run = Invoke-Register -Unregister
        $run.ExitCode | Should -Be 0
        (Get-SimSection -Key 'scheduledTasks').Contains('\RDP Health') | Should -BeFalse
        $again = Invoke-Register -Unregister
        $again.ExitCode | Should -Be 0
        $again.Lines[-1] | Should -Match 'not registered'
    }

    It 'a failure is reported with exit code 1 and registers nothing' {
        Set-FixHostFault -Command 'RegisterTaskDefinition' -Fault @{ kind = 'access-denied' }
        $run = Invoke-Register
        $run.ExitCode | Should -Be 1
        $run.Lines[-1] | Should -Match 'could not be registered'
        Get-HostCheckerTask | Should -BeNullOrEmpty
    }
}
