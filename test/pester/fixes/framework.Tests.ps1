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

Describe 'Trusting the fix folder and its undo records (on Windows)' {
    BeforeEach {
        $script:UserSid = 'S-1-5-21-1111-2222-3333-1001'
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'owners' -Patch @{
            files = @{
                'C:\ProgramData\RDP Health\fixes\admin.undo.json'  = @{ owner = 'S-1-5-32-544'; acl = @() }
                'C:\ProgramData\RDP Health\fixes\system.undo.json' = @{ owner = 'S-1-5-18'; acl = @() }
                # What the fixes folder's descriptor passes on: Administrators may read the record.
                'C:\ProgramData\RDP Health\fixes\user.undo.json'   = @{ owner = $script:UserSid; acl = @(@{ IdentityReference = 'S-1-5-32-544'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow' }) }
            }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        Mock Get-Item -ModuleName RdpHealth.FixFolder { [PSCustomObject]@{ Attributes = [System.IO.FileAttributes]::Archive } }
    }

    It 'accepts a record owned by <Owner>' -ForEach @(@{ Owner = 'admin' }, @{ Owner = 'system' }) {
        { Assert-RdpFixItemTrusted -Path "C:\ProgramData\RDP Health\fixes\$Owner.undo.json" } | Should -Not -Throw
    }

    It 'refuses a record a user owns, as access-denied' {
        $thrown = $null
        try { Assert-RdpFixItemTrusted -Path 'C:\ProgramData\RDP Health\fixes\user.undo.json' } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        Get-RdpErrorKind -ErrorRecord $thrown | Should -Be 'access-denied'
        $thrown.Exception.Message | Should -Match ([regex]::Escape($script:UserSid))
    }

    It 'refuses an admin-owned reparse point (junction)' {
        Mock Get-Item -ModuleName RdpHealth.FixFolder { [PSCustomObject]@{ Attributes = [System.IO.FileAttributes]'Directory, ReparsePoint' } }
        { Assert-RdpFixItemTrusted -Path 'C:\ProgramData\RDP Health\fixes\admin.undo.json' } | Should -Throw '*reparse point*'
    }

    It 'ignores RDP_HEALTH_FIX_ROOT on Windows (a user can set it for an elevated process)' {
        Mock Test-RdpWindowsHost -ModuleName RdpHealth.FixFolder { $true }
        $env:RDP_HEALTH_FIX_ROOT = Join-Path $TestDrive 'user-controlled'
        # ProgramData from the OS (GetFolderPath), not from %ProgramData%: elevated-hardening.Tests.ps1.
        Get-RdpFixRoot | Should -Be ([Environment]::GetFolderPath([Environment+SpecialFolder]::CommonApplicationData) + '\RDP Health\fixes')
    }

    It 'takes System32 from the OS on Windows, never from %SystemRoot%' {
        Mock Test-RdpWindowsHost -ModuleName RdpHealth.FixFolder { $true }
        $saved = $env:SystemRoot
        try {
            $env:SystemRoot = 'C:\Users\eve\fake'
            $folder = Get-RdpSystemDirectory
            # Off Windows the OS has no system folder: refused ($null), not guessed from the variable.
            $folder | Should -Not -BeLike 'C:\Users\eve\fake*'
        } finally { $env:SystemRoot = $saved }
    }
}

Describe 'Undo-RdpFix.ps1 refuses a record it cannot trust (on Windows)' {
    BeforeEach {
        $null = Initialize-FixTestHost -Scenario 'nla-off-local'
        $script:RecordId = '20250101T120000Z-nla_enable-0000beef'
        $fix = Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; RecordId = $script:RecordId }
        $fix.ExitCode | Should -Be 0
        Mock Test-RdpWindowsHost -ModuleName RdpHealth.FixUndoRecord { $true }
        Mock Get-Acl -ModuleName RdpHealth.FixFolder {
            $acl = [PSCustomObject]@{ Owner = $global:RdpTestRecordOwner }
            $acl | Add-Member -MemberType ScriptMethod -Name GetOwner -Value { param($targetType) [PSCustomObject]@{ Value = $this.Owner } }
            $acl
        }
    }
    AfterAll { Remove-Variable -Name RdpTestRecordOwner -Scope Global -ErrorAction SilentlyContinue }

    It 'restores nothing from a record a user owns' {
        $global:RdpTestRecordOwner = 'S-1-5-21-1111-2222-3333-1001'
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $script:RecordId }
        $undo.ExitCode | Should -Be 1
        $undo.Result.error.kind | Should -Be 'access-denied'
        $undo.Result.error.message | Should -Match 'owned by S-1-5-21-1111-2222-3333-1001'
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 1
    }

    It 'restores an admin-owned record' {
        $global:RdpTestRecordOwner = 'S-1-5-32-544'
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $script:RecordId }
        $undo.Result.error.message | Should -BeNullOrEmpty
        $undo.ExitCode | Should -Be 0
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
    }
}
