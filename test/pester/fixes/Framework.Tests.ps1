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

Describe 'Service and firewall rule undo entries (on the simulated service control and firewall)' {
    BeforeEach { $null = Initialize-FixTestHost -Scenario 'healthy' }

    It 'puts a stopped service back to running, with its start mode' {
        $stored = ConvertTo-Json -InputObject (New-RdpServiceUndo -Name 'SessionEnv') | ConvertFrom-Json
        $stored.state | Should -Be 'Running'
        $stored.startMode | Should -Be 'Manual'
        Stop-Service -Name 'SessionEnv' -Force
        Set-Service -Name 'SessionEnv' -StartupType Disabled
        (Get-RdpServiceState -Name 'SessionEnv').State | Should -Be 'Stopped'
        Restore-RdpUndoEntry -Entry $stored
        $service = Get-RdpServiceState -Name 'SessionEnv'
        $service.State | Should -Be 'Running'
        $service.StartMode | Should -Be 'Manual'
    }

    It 'puts a firewall rule back: enabled, profile and port' {
        $before = ConvertTo-Json -InputObject (Get-SimSection -Key 'firewall', 'rules') -Depth 10
        $stored = ConvertTo-Json -InputObject (New-RdpFirewallRuleUndo -Name 'RemoteDesktop-UserMode-In-TCP') -Depth 5 | ConvertFrom-Json
        $stored.enabled | Should -Be 'True'
        @($stored.localPort) | Should -Be @('3389')
        Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -Enabled 'False' -Profile 'Public' -LocalPort '3390'
        ConvertTo-Json -InputObject (Get-SimSection -Key 'firewall', 'rules') -Depth 10 | Should -Not -Be $before
        Restore-RdpUndoEntry -Entry $stored
        ConvertTo-Json -InputObject (Get-SimSection -Key 'firewall', 'rules') -Depth 10 | Should -Be $before
    }
}
