# Elevated and SYSTEM code reads nothing the user controls (issue 10 item 7): ProgramData from the OS,
# System32 tools by full path, PSModulePath reset before any import; undo records trusted when their
# owner is Administrators, SYSTEM or (NoDefaultAdminOwner=1, issue 11 item 10) a member of
# Administrators; Test-RdpFixRecord.ps1 says, unelevated, whether a record may be undone.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.Common.psm1') -Force
    Import-Module (Join-Path $script:RepoRoot 'probes/common/RdpHealth.Fix.psm1') -Force
    $script:UserSid = 'S-1-5-21-1111-2222-3333-1001'
    $script:RecordCheck = Join-Path $script:RepoRoot 'probes/common/Test-RdpFixRecord.ps1'
    function Invoke-RecordCheck {
        param([Parameter(Mandatory)][string]$RecordId)
        $line = @(& $script:RecordCheck -RecordId $RecordId) | Where-Object { $_ -like 'RDPHEALTH:RECORD *' } | Select-Object -First 1
        $line.Substring(17) | ConvertFrom-Json
    }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Admin owners of undo records' {
    It 'trusts Administrators and SYSTEM, and a member of Administrators (NoDefaultAdminOwner=1)' {
        Test-RdpAdminOwner -OwnerSid 'S-1-5-32-544' -AdministratorSids @() | Should -BeTrue
        Test-RdpAdminOwner -OwnerSid 'S-1-5-18' -AdministratorSids @() | Should -BeTrue
        Test-RdpAdminOwner -OwnerSid $script:UserSid -AdministratorSids @('S-1-5-21-1111-2222-3333-500', $script:UserSid) | Should -BeTrue
    }

    It 'does not trust a user who is not a member, nor Users or Everyone' {
        Test-RdpAdminOwner -OwnerSid $script:UserSid -AdministratorSids @('S-1-5-21-1111-2222-3333-500') | Should -BeFalse
        Test-RdpAdminOwner -OwnerSid 'S-1-5-32-545' -AdministratorSids @() | Should -BeFalse
        Test-RdpAdminOwner -OwnerSid 'S-1-1-0' -AdministratorSids @() | Should -BeFalse
    }

    It 'accepts a record the elevated admin owns when that admin is in Administrators' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'owner-member' -Patch @{
            # What the fixes folder's descriptor passes on: Administrators may read the record.
            files = @{ 'C:\ProgramData\RDP Health\fixes\member.undo.json' = @{ owner = $script:UserSid; acl = @(@{ IdentityReference = 'S-1-5-32-544'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow' }) } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        Mock Get-Item -ModuleName RdpHealth.FixFolder { [PSCustomObject]@{ Attributes = [System.IO.FileAttributes]::Archive } }
        Mock Get-RdpAdministratorsMemberSid -ModuleName RdpHealth.FixFolder { 'S-1-5-21-1111-2222-3333-500' }
        { Assert-RdpFixItemTrusted -Path 'C:\ProgramData\RDP Health\fixes\member.undo.json' } | Should -Throw '*member of Administrators*'
        Mock Get-RdpAdministratorsMemberSid -ModuleName RdpHealth.FixFolder { 'S-1-5-21-1111-2222-3333-500'; $script:UserSid }
        { Assert-RdpFixItemTrusted -Path 'C:\ProgramData\RDP Health\fixes\member.undo.json' } | Should -Not -Throw
    }
}

Describe 'What elevated code takes from the OS, not from the environment (on Windows)' {
    BeforeEach {
        Mock Test-RdpWindowsHost -ModuleName RdpHealth.FixFolder { $true }
        $script:SavedProgramData = $env:ProgramData
        $script:SavedPath = $env:PATH
    }
    AfterEach {
        $env:ProgramData = $script:SavedProgramData
        $env:PATH = $script:SavedPath
    }

    It 'takes ProgramData from GetFolderPath(CommonApplicationData), never from %ProgramData%' {
        $env:ProgramData = 'C:\Users\eve\fake'
        $os = [Environment]::GetFolderPath([Environment+SpecialFolder]::CommonApplicationData)
        Get-RdpProgramDataFolder | Should -Be $os
        $env:RDP_HEALTH_FIX_ROOT = Join-Path $TestDrive 'user-controlled'
        Get-RdpFixRoot | Should -Be "$os\RDP Health\fixes"
    }

    It 'runs icacls.exe from the system folder, not the one planted earlier on PATH' {
        $system = Join-Path $TestDrive 'System32'
        $planted = Join-Path $TestDrive 'planted'
        $null = New-Item -ItemType Directory -Path $system, $planted -Force
        foreach ($tool in @(@{ Path = (Join-Path $system 'icacls.exe'); Says = 'system' }, @{ Path = (Join-Path $planted 'icacls.exe'); Says = 'planted' })) {
            Set-Content -LiteralPath $tool.Path -Value "#!/bin/sh`necho $($tool.Says) `"`$@`""
            & chmod +x $tool.Path
        }
        $env:PATH = $planted + [System.IO.Path]::PathSeparator + $env:PATH
        Mock Get-RdpSystemDirectory -ModuleName RdpHealth.FixFolder { $system }
        Invoke-RdpSystemTool -Name 'icacls.exe' -ArgumentList @('C:\key', '/grant', '*S-1-5-20:(R)') | Should -Be 'system C:\key /grant *S-1-5-20:(R)'
    }

    It 'refuses to run a tool when the system folder is unknown, instead of guessing' {
        Mock Get-RdpSystemDirectory -ModuleName RdpHealth.FixFolder { $null }
        { Invoke-RdpSystemTool -Name 'certutil.exe' -ArgumentList @('-repairstore') } | Should -Throw '*system folder*'
    }
}

Describe 'PSModulePath is reset before any import in every elevated script' {
    BeforeAll {
        $script:Reset = Join-Path $script:RepoRoot 'probes/common/Use-RdpSystemModulePath.ps1'
        $script:Elevated = @(Get-ChildItem -Path (Join-Path $script:RepoRoot 'probes') -Filter 'Repair-Rdp*.ps1' -Recurse) +
            @(Get-Item (Join-Path $script:RepoRoot 'probes/common/Undo-RdpFix.ps1'), (Join-Path $script:RepoRoot 'probes/common/Start-RdpElevatedFix.ps1'))
    }

    It 'the reset itself calls no cmdlet before PSModulePath is set (any could be a planted one)' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:Reset, [ref]$null, [ref]$null)
        $assignment = $ast.Find({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Left.Extent.Text -eq '$env:PSModulePath' }, $true)
        $assignment | Should -Not -BeNullOrEmpty
        $early = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.Extent.StartOffset -lt $assignment.Extent.StartOffset }, $true))
        $early | Should -HaveCount 0
    }

    It '<_> dot-sources the reset before its first Import-Module' -ForEach @(
        'certificate/Repair-RdpCertificate.ps1', 'firewall/Repair-RdpFirewall.ps1', 'key-access/Repair-RdpKeyAccess.ps1',
        'listener/Repair-RdpListener.ps1', 'nla/Repair-RdpNla.ps1', 'security-layer/Repair-RdpSecurityLayer.ps1',
        'tls/Repair-RdpTls.ps1', 'client/Repair-RdpClientTls.ps1', 'client/Repair-RdpFile.ps1', 'common/Undo-RdpFix.ps1', 'common/Start-RdpElevatedFix.ps1'
    ) {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $script:RepoRoot "probes/$_"), [ref]$null, [ref]$null)
        $commands = @($ast.EndBlock.Statements | ForEach-Object { $_.Find({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) } | Where-Object { $_ })
        $commands[0].InvocationOperator | Should -Be 'Dot'
        $commands[0].Extent.Text | Should -BeLike '*Use-RdpSystemModulePath.ps1*'
    }

    It 'every shipped fix script is in that list' {
        $script:Elevated.Count | Should -Be 11
    }

    It 'no fix script or fix module calls a System32 tool by bare name or reads %ProgramData% / %SystemRoot% / %windir%' {
        $files = @($script:Elevated) + @(Get-ChildItem -Path (Join-Path $script:RepoRoot 'probes/common') -Filter 'RdpHealth.Fix*.psm1' | Where-Object { $_.Name -ne 'RdpHealth.FixFolder.psm1' })
        foreach ($file in $files) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$null)
            $bare = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -match '^(icacls|certutil|sc|netsh|reg|wevtutil|schtasks)(\.exe)?$' }, $true))
            $bare | Should -HaveCount 0 -Because "$($file.Name) must run System32 tools through Invoke-RdpSystemTool"
            $envRead = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] -and $n.VariablePath.UserPath -match '^env:(ProgramData|SystemRoot|windir)$' }, $true))
            $envRead | Should -HaveCount 0 -Because "$($file.Name) must take folders from the OS"
        }
    }
}

Describe 'Test-RdpFixRecord.ps1: whether a record may be undone, before any prompt' {
    BeforeEach {
        $null = Initialize-FixTestHost -Scenario 'nla-off-local'
        $script:RecordId = '20250101T120000Z-nla_enable-0000cafe'
    }

    It 'says missing for a record that does not exist' {
        (Invoke-RecordCheck -RecordId $script:RecordId).status | Should -Be 'missing'
    }

    It 'says trusted for a record a fix wrote, and undone once it was undone' {
        (Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; RecordId = $script:RecordId }).ExitCode | Should -Be 0
        (Invoke-RecordCheck -RecordId $script:RecordId).status | Should -Be 'trusted'
        (Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $script:RecordId }).ExitCode | Should -Be 0
        $check = Invoke-RecordCheck -RecordId $script:RecordId
        $check.status | Should -Be 'undone'
        $check.message | Should -Match 'undone already'
    }

    It 'says untrusted for a record a user owns (on Windows)' {
        (Invoke-FixScript -Script 'nla/Repair-RdpNla.ps1' -Parameters @{ Action = 'Enable'; RecordId = $script:RecordId }).ExitCode | Should -Be 0
        Mock Test-RdpWindowsHost { $true }
        Mock Assert-RdpFixItemTrusted { throw "$Path is owned by S-1-5-21-1111-2222-3333-1001, not by Administrators, SYSTEM or a member of Administrators; it cannot be trusted." }
        $check = Invoke-RecordCheck -RecordId $script:RecordId
        $check.status | Should -Be 'untrusted'
        $check.message | Should -Match ([regex]::Escape($script:UserSid))
    }
}
