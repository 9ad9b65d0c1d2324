# Repair-RdpFile.ps1 on the simulated Windows 11 Home laptop: a fix of the user's own .rdp file, run
# with the user's rights, its record in the user's own fix folder; read back through the history reader.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:OldServer = 'C:\Users\alice\Documents\Old server.rdp'
    function Get-RdpFileText([string]$Name) { @((Invoke-FixProbe -Script 'client/Get-RdpClientHistory.ps1').data.rdpFiles | Where-Object { $_.name -eq $Name })[0].text }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT, env:RDP_HEALTH_USER_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpFile on client-windows11-home' {
    BeforeEach {
        $testHost = Initialize-FixTestHost -Scenario 'client-windows11-home' -Identity 'standard-user'
        $env:RDP_HEALTH_USER_FIX_ROOT = Join-Path $TestDrive ('user-fixes-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }

    It '-WhatIf plans the one file of that computer that turns CredSSP off, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'client/Repair-RdpFile.ps1' -Parameters @{ Action = 'EnableCredSsp'; TargetHost = 'oldserver'; WhatIf = $true }
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 1
        $run.Planned[0].target | Should -Match 'Old server\.rdp'
        $run.Planned[0].action | Should -Match 'enablecredsspsupport from 0 to 1'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'applied as the user, the file reads CredSSP on, the record is in the user''s folder; undo puts the text back' {
        $before = Get-RdpFileText 'Old server.rdp'
        $run = Invoke-FixScript -Script 'client/Repair-RdpFile.ps1' -Parameters @{ Action = 'EnableCredSsp'; TargetHost = 'oldserver' }
        $run.ExitCode | Should -Be 0
        $run.Result.fixId | Should -Be 'rdp-file.enable-credssp'
        $after = Get-RdpFileText 'Old server.rdp'
        $after | Should -Match '(?m)^enablecredsspsupport:i:1\r?$'
        $after | Should -Not -Match 'enablecredsspsupport:i:0'
        ($after -replace 'enablecredsspsupport:i:1', 'enablecredsspsupport:i:0') | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $env:RDP_HEALTH_USER_FIX_ROOT "$($run.Result.recordId).undo.json") | Should -BeTrue
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
        $record = Get-Content -LiteralPath (Join-Path $env:RDP_HEALTH_USER_FIX_ROOT "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        $record.steps[0].undo.kind | Should -Be 'file-content'
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        Get-RdpFileText 'Old server.rdp' | Should -BeExactly $before
    }

    It 'changes nothing for a computer whose file already offers CredSSP, or that has no file' -ForEach @('rdphost01.contoso.com', 'nosuchhost') {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'client/Repair-RdpFile.ps1' -Parameters @{ Action = 'EnableCredSsp'; TargetHost = $_ }
        $run.ExitCode | Should -Be 0
        @($run.Result.changes).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
    }

    It 'refuses a target that is not a plain host name before anything runs' {
        { & (Join-Path $script:RepoRoot 'probes/client/Repair-RdpFile.ps1') -Action EnableCredSsp -TargetHost 'host;calc' } | Should -Throw
    }
}
