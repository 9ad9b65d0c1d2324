# RdpHealth.Fix.psm1 itself: undo entries survive the JSON round trip of an undo record and put each
# registry kind back, an irreversible step is reported as not restored, record ids are checked.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.Common.psm1') -Force
    Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.Fix.psm1') -Force
    $script:Key = 'HKLM:\SOFTWARE\RdpHealthTest'
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Registry undo entries' {
    BeforeEach {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'kinds' -Patch @{
            registry = @{ $script:Key = @{ Count = 7; Name = 'old'; Hash = @{ binary = '0A0B0C' }; List = @{ multi = @('a', 'b') } } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
    }

    It 'puts back a <Name> value of kind <Kind> after a JSON round trip' -ForEach @(
        @{ Name = 'Count'; Kind = 'DWord'; NewValue = 9 }
        @{ Name = 'Name'; Kind = 'String'; NewValue = 'new' }
        @{ Name = 'Hash'; Kind = 'Binary'; NewValue = 1 }
        @{ Name = 'List'; Kind = 'MultiString'; NewValue = 'x' }
    ) {
        $before = Get-FixHostSection
        $entry = New-RdpRegistryUndo -Path $script:Key -Name $Name
        $entry.type | Should -Be $Kind
        $stored = ConvertTo-Json -InputObject $entry -Depth 5 | ConvertFrom-Json
        Set-ItemProperty -Path $script:Key -Name $Name -Value $NewValue
        Get-FixHostSection | Should -Not -BeExactly $before
        Restore-RdpUndoEntry -Entry $stored
        Get-FixHostSection | Should -BeExactly $before
    }

    It 'removes a value that did not exist before' {
        $before = Get-FixHostSection
        $stored = ConvertTo-Json -InputObject (New-RdpRegistryUndo -Path $script:Key -Name 'Fresh') | ConvertFrom-Json
        $stored.existed | Should -BeFalse
        New-ItemProperty -Path $script:Key -Name 'Fresh' -PropertyType DWord -Value 1
        Restore-RdpUndoEntry -Entry $stored
        Get-FixHostSection | Should -BeExactly $before
    }

    It 'reports an irreversible step as not restored' {
        { Restore-RdpUndoEntry -Entry (New-RdpIrreversibleUndo -Reason 'the expired certificate was deleted') } | Should -Throw '*expired certificate*'
    }
}

Describe 'Record ids and the fix folder' {
    It 'makes ids the scripts accept, and rejects others' {
        $id = New-RdpFixRecordId -FixId 'firewall.enable-rules'
        $id | Should -Match '^[0-9]{8}T[0-9]{6}Z-firewall_enable-rules-[0-9a-f]{8}$'
        { Get-RdpFixFilePath -RecordId '../x' -Kind 'result' } | Should -Throw
    }

    It 'uses RDP_HEALTH_FIX_ROOT when set, else %ProgramData%\RDP Health\fixes' {
        $env:RDP_HEALTH_FIX_ROOT = Join-Path $TestDrive 'here'
        Get-RdpFixRoot | Should -Be (Join-Path $TestDrive 'here')
        $saved = $env:RDP_HEALTH_FIX_ROOT
        try {
            Remove-Item -Path env:RDP_HEALTH_FIX_ROOT
            Get-RdpFixRoot | Should -Be 'C:\ProgramData\RDP Health\fixes'
        } finally { $env:RDP_HEALTH_FIX_ROOT = $saved }
    }

    It 'refuses to overwrite an existing record' {
        $null = Initialize-FixTestHost -Scenario 'nla-off-local'
        $first = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; RecordId = '20250101T120000Z-nla_enable-0000ffff' }
        $first.ExitCode | Should -Be 0
        $second = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Disable'; RecordId = '20250101T120000Z-nla_enable-0000ffff' }
        $second.ExitCode | Should -Be 1
        $second.Result.error.message | Should -Match 'exists already'
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 1
    }
}
