# The fix run's journal when a step fails (RdpHealth.FixRun.psm1): a step that threw before its change
# took effect is neither rolled back nor kept in an undo record; the steps before it are put back, and
# what cannot be put back stays in the undo record. A three-step fix on registry values of the simulated host.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:Key = 'HKLM:\SOFTWARE\RdpHealthJournalTest'
    $script:Fix = Join-Path $TestDrive 'Repair-Journal.ps1'
    # -HalfDone: the second change writes its value, then throws (a change that fails half way).
    @"
[CmdletBinding(SupportsShouldProcess)]
param([switch]`$HalfDone)
`$ErrorActionPreference = 'Stop'
Import-Module '$script:RepoRoot/probes/common/RdpHealth.Fix.psm1'
`$fix = Start-RdpFix -FixId 'test.journal' -Cmdlet `$PSCmdlet
Invoke-RdpFix -Fix `$fix -Body {
    foreach (`$name in 'A', 'B', 'C') {
        `$undo = New-RdpRegistryUndo -Path '$script:Key' -Name `$name
        Invoke-RdpFixStep -Fix `$fix -Target "`$name under $script:Key" -Action "Set `$name to 1" -Undo `$undo -Change {
            `$null = New-ItemProperty -LiteralPath '$script:Key' -Name `$name -PropertyType DWord -Value 1 -Force
            if (`$HalfDone -and `$name -eq 'B') { throw 'B failed after writing' }
        }
    }
}
exit `$fix.ExitCode
"@ | Set-Content -LiteralPath $script:Fix

    function Invoke-JournalFix([switch]$HalfDone) {
        $global:LASTEXITCODE = 0
        $lines = @(& $script:Fix -HalfDone:$HalfDone)
        [PSCustomObject]@{ Result = (ConvertFrom-FixOutput -Lines $lines).Result; ExitCode = $global:LASTEXITCODE }
    }
    function Get-UndoRecordFile { @(Get-ChildItem -LiteralPath $env:RDP_HEALTH_FIX_ROOT -Filter '*.undo.json' -ErrorAction SilentlyContinue) }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'A fix run whose step fails' {
    BeforeEach {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'journal' -Patch @{ registry = @{ $script:Key = @{ A = 0; B = 0; C = 0 } } }
        $null = Initialize-FixTestHost -Scenario $scenario
        $script:Before = Get-HostStateText
    }

    It 'the first step fails (and so would its restore): nothing is put back, nothing is kept, exit code 1' {
        Set-FixHostFault -Command 'Set-RegistryValue' -Fault @{ kind = 'access-denied' }
        $run = Invoke-JournalFix
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match 'Access is denied'
        @($run.Result.restored).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        Get-UndoRecordFile | Should -HaveCount 0
        Get-HostStateText | Should -BeExactly $script:Before
    }

    It 'the second step fails: the first is put back, the failed one is not counted' {
        Set-FixHostFault -Command 'Set-RegistryValue' -Fault @{ kind = 'error'; after = 1; times = 1 }
        $run = Invoke-JournalFix
        $run.ExitCode | Should -Be 1
        @($run.Result.restored | ForEach-Object { "$($_.target)=$($_.ok)" }) | Should -Be @("A under $script:Key=True")
        $run.Result.undoAvailable | Should -BeFalse
        Get-UndoRecordFile | Should -HaveCount 0
        Get-HostStateText | Should -BeExactly $script:Before
    }

    It 'the second step fails half way: it is put back too' {
        $run = Invoke-JournalFix -HalfDone
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Be 'B failed after writing'
        @($run.Result.restored | ForEach-Object { $_.target.Substring(0, 1) }) | Should -Be @('B', 'A')
        Get-HostStateText | Should -BeExactly $script:Before
    }

    It 'the second step fails and putting the first back fails too: exit code 3, the undo record keeps the first only' {
        Set-FixHostFault -Command 'Set-RegistryValue' -Fault @{ kind = 'access-denied'; after = 1 }
        $run = Invoke-JournalFix
        $run.ExitCode | Should -Be 3
        @($run.Result.restored | ForEach-Object { "$($_.target)=$($_.ok)" }) | Should -Be @("A under $script:Key=False")
        $run.Result.undoAvailable | Should -BeTrue
        $record = Get-Content -LiteralPath (Get-UndoRecordFile)[0].FullName -Raw | ConvertFrom-Json
        @($record.steps | ForEach-Object { $_.undo.name }) | Should -Be @('A')
    }
}
