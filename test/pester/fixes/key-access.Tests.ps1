# Repair-RdpKeyAccess.ps1 on the simulated host: preview with the sessions a restart ends, the grant on
# that one key file (icacls shadow), the TermService restart, undo through the file ACL undo kind
# (SDDL saved before, Set-Acl to restore), failures half way, and refusals.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:Fix = 'key-access/Repair-RdpKeyAccess.ps1'
    $script:Guid = '3f1e2d4c-5b6a-4789-9abc-def012345678'
    $script:MachineKeys = 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys'
    $script:KeyFile = "$MachineKeys\f686aace6942fb7f7ceb231212eef4a4_$Guid"
    # Another service's machine key (IIS, WMSvc...): a grant must never reach it.
    $script:OtherKey = "$MachineKeys\76944fb33636aeddb9590521c2e8815a_$Guid"

    function Get-FileSection { ConvertTo-Json -Depth 64 -InputObject (Get-SimSection -Key 'files') }
    function Get-FileSpec([string]$Path) { (Get-SimSection -Key 'files')[$Path] }
    function Get-KeyAccessData { (Invoke-FixProbe -Script 'key-access/Get-RdpKeyAccess.ps1').data }
    function Get-Service2 { (Get-SimSection -Key 'cim', 'root/cimv2:Win32_Service') }
    function New-KeyScenario {
        <# key-missing-network-service with another machine key next to the RDP one. #>
        param([string]$Name = 'keys')
        $files = @{ $OtherKey = @{ owner = 'S-1-5-18'; acl = @(@{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }) } }
        New-SimScenarioFile -Extends 'key-missing-network-service' -Name $Name -Patch @{ files = $files }
    }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpKeyAccess on key-missing-network-service' {
    BeforeEach { $testHost = Initialize-FixTestHost -Scenario (New-KeyScenario) }

    It '-WhatIf plans the grant on that one file and the restart, lists the sessions it ends, and changes nothing' {
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService'; WhatIf = $true }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'planned'
        @($run.Planned).Count | Should -Be 2
        $run.Planned[0].target | Should -Be "Key file $KeyFile"
        $run.Planned[0].action | Should -Match 'icacls /grant \*S-1-5-20:\(R\)'
        $run.Planned[1].target | Should -Be 'Remote Desktop Services (TermService)'
        $run.Result.details.keyFile | Should -Be $KeyFile
        @($run.Result.details.sessions).Count | Should -Be 1
        $run.Result.details.sessions[0].id | Should -Be 2
        ($run.Result.notes -join ' ') | Should -Match 'ends every Remote Desktop session.*1 session'
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath $testHost.FixRoot | Should -BeFalse
    }

    It 'applied: NETWORK SERVICE may read that one file, TermService was restarted, and the probe reads it as healthy' {
        $oldPid = (Get-Service2)['TermService']['ProcessId']
        $otherBefore = ConvertTo-Json -Depth 10 -InputObject (Get-FileSpec $OtherKey)
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.changes).Count | Should -Be 2
        $data = Get-KeyAccessData
        $data.networkServiceRead | Should -BeTrue
        $data.networkServiceRule | Should -BeTrue
        $data.systemFullControl | Should -BeTrue
        $data.keyFile | Should -Be $KeyFile
        ($data.rules | ForEach-Object { "$($_.type) $($_.sid) $($_.rights)" }) -join '; ' |
            Should -Be 'Allow S-1-5-18 FullControl; Allow S-1-5-32-544 FullControl; Allow S-1-5-20 Read, Synchronize'
        # The change is on that one file only: the other machine key is untouched, no folder entry appeared.
        ConvertTo-Json -Depth 10 -InputObject (Get-FileSpec $OtherKey) | Should -BeExactly $otherBefore
        @((Get-SimSection -Key 'files').Keys | Where-Object { $_ -like '*\MachineKeys\*' } | Sort-Object) | Should -Be @($OtherKey, $KeyFile | Sort-Object)
        $services = Get-Service2
        $services['TermService']['State'] | Should -Be 'Running'
        $services['TermService']['ProcessId'] | Should -Not -Be $oldPid
        $services['UmRdpService']['State'] | Should -Be 'Running'
        # The restart ended the RDP session, as the preview said it would.
        @((Get-SimSection -Key 'sessions').Keys).Count | Should -Be 0
        $record = Get-Content -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") -Raw | ConvertFrom-Json
        $record.steps[0].undo.kind | Should -Be 'file-acl'
        $record.steps[0].undo.path | Should -Be $KeyFile
        $record.steps[0].undo.sddl | Should -Be 'D:(A;;FA;;;SY)(A;;FA;;;BA)'
    }

    It 'undo puts the saved access rules back exactly (the file ACL undo kind)' {
        $before = Get-FileSection
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        Get-FileSection | Should -Not -Be $before
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        $undo.Result.outcome | Should -Be 'undone'
        @($undo.Result.restored | Where-Object { $_.ok }).Count | Should -Be 2
        Get-FileSection | Should -BeExactly $before
        (Get-KeyAccessData).networkServiceRead | Should -BeFalse
        (Get-Service2)['TermService']['State'] | Should -Be 'Running'
    }

    It 'undo restores only the DACL: the owner of the file stays as it is' {
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        (Get-FileSpec $KeyFile)['owner'] | Should -Be 'S-1-5-18'
        $state = Get-SimState
        $state['files'][$KeyFile]['owner'] = 'S-1-5-32-544'
        Save-SimState -State $state
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        $spec = Get-FileSpec $KeyFile
        $spec['owner'] | Should -Be 'S-1-5-32-544'
        @($spec['acl'] | ForEach-Object { "$($_['IdentityReference']) $($_['FileSystemRights'])" }) -join '; ' | Should -Be 'S-1-5-18 FullControl; S-1-5-32-544 FullControl'
        (Get-KeyAccessData).networkServiceRead | Should -BeFalse
    }

    It 'a restart that fails puts the saved access rules back' {
        $before = Get-FileSection
        Set-FixHostFault -Command 'Stop-Service' -Fault @{ kind = 'error' }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'Simulated failure in Stop-Service'
        # The grant is put back; the restart that failed before stopping anything is not rolled back.
        @($run.Result.restored | ForEach-Object { $_.target }) | Should -Match '^Key file '
        @($run.Result.restored | Where-Object { -not $_.ok }).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        Get-FileSection | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'icacls failing changes nothing' {
        $before = Get-FileSection
        Set-FixHostFault -Command 'icacls' -Fault @{ kind = 'access-denied' }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.kind | Should -Be 'access-denied'
        @($run.Result.restored).Count | Should -Be 0
        $run.Result.undoAvailable | Should -BeFalse
        Get-FileSection | Should -BeExactly $before
        # The restart never ran: same TermService process, the session is still there.
        (Get-Service2)['TermService']['ProcessId'] | Should -Be 1180
        @((Get-SimSection -Key 'sessions').Keys) | Should -Be @('2')
    }

    It 'a restore that cannot finish is reported as such, and the undo record keeps it' {
        # The grant passes; the re-check fails (its Get-Acl), and so does the Set-Acl of the rollback.
        Set-FixHostFault -Command 'Get-Acl' -Fault @{ kind = 'error'; after = 2 }
        Set-FixHostFault -Command 'Set-Acl' -Fault @{ kind = 'access-denied' }
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 3
        $run.Result.undoAvailable | Should -BeTrue
        Set-FixHostFault -Command 'Get-Acl' -Remove
        Set-FixHostFault -Command 'Set-Acl' -Remove
        $undo = Invoke-FixScript -Script 'common/Undo-RdpFix.ps1' -Parameters @{ RecordId = $run.Result.recordId }
        $undo.ExitCode | Should -Be 0
        (Get-KeyAccessData).networkServiceRead | Should -BeFalse
    }
}

Describe 'Repair-RdpKeyAccess on other hosts' {
    It 'grants on the CNG key file of a CA-issued certificate in Crypto\Keys' {
        $cng = 'C:\ProgramData\Microsoft\Crypto\Keys\9b2e4c6a8d0f1e3a5c7b9d1f3e5a7c9b_' + $Guid
        $scenario = New-SimScenarioFile -Extends 'cert-ca-issued' -Name 'cng' -Patch @{
            files = @{ $cng = @{ acl = @(@{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }) } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $selfSigned = ConvertTo-Json -Depth 10 -InputObject (Get-FileSpec $KeyFile)
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 0
        $run.Result.details.keyFile | Should -Be $cng
        (Get-KeyAccessData).networkServiceRead | Should -BeTrue
        ConvertTo-Json -Depth 10 -InputObject (Get-FileSpec $KeyFile) | Should -BeExactly $selfSigned
    }

    It 'grants without a restart while TermService is stopped, and says when it takes effect' {
        $scenario = New-SimScenarioFile -Extends 'termservice-stopped' -Name 'stopped' -Patch @{
            files = @{ $KeyFile = @{ acl = @(@{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }) } }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 0
        @($run.Result.changes).Count | Should -Be 1
        ($run.Result.notes -join ' ') | Should -Match 'not running: it reads the key when it next starts'
        $run.Result.details.PSObject.Properties.Name | Should -Not -Contain 'sessions'
        (Get-Service2)['TermService']['State'] | Should -Be 'Stopped'
        (Get-KeyAccessData).networkServiceRead | Should -BeTrue
    }

    It 'has nothing to do on a healthy host' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'already-done'
        Get-FixHostText | Should -BeExactly $before
    }
}

Describe 'Repair-RdpKeyAccess refuses, changing nothing' {
    It 'refuses when a Deny rule blocks the read' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'deny' -Patch @{
            files = @{ $KeyFile = @{ acl = @(
                        @{ IdentityReference = 'S-1-5-20'; FileSystemRights = 'Read'; AccessControlType = 'Deny'; IsInherited = $false }
                        @{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }
                    )
                }
            }
        }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'A Deny rule for S-1-5-20 .* an administrator must look at that rule\. Nothing was changed\.'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'refuses, as needing elevation, when the ACL cannot be read (key-acl-unreadable)' {
        $null = Initialize-FixTestHost -Scenario 'key-acl-unreadable'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.kind | Should -Be 'access-denied'
        $run.Result.error.message | Should -Match 'needs elevation'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'refuses when the key file does not exist' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Name 'nofile' -Patch @{ files = @{ $KeyFile = $null } }
        $null = Initialize-FixTestHost -Scenario $scenario
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 1
        $run.Result.error.message | Should -Match 'does not exist: there is nothing to grant access to\. Nothing was changed\.'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'accepts only the action of its ValidateSet' {
        $null = Initialize-FixTestHost -Scenario 'healthy'
        $path = Join-Path $script:RepoRoot "probes/$Fix"
        { & $path -Action 'GrantNetworkService; icacls C:\ /t' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpKeyAccess.ps1'
        { & $path -Action 'GrantNetworkService' -RecordId 'x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Repair-RdpKeyAccess.ps1'
    }

    It 'never grants on a folder, recursively or by taking ownership (the script text)' {
        # The code without its comments and help: what runs.
        $tokens = $null; $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $script:RepoRoot "probes/$Fix"), [ref]$tokens, [ref]$errors)
        $code = ($tokens | Where-Object { $_.Kind -ne 'Comment' } | ForEach-Object { $_.Text }) -join ' '
        $code | Should -Not -Match '(?i)icacls[^\n]*\s/t\b'
        $code | Should -Not -Match '(?i)takeown'
        $code | Should -Not -Match '(?i)MachineKeys\\?\*'
        # icacls.exe by full path from the system folder (Invoke-RdpSystemTool), on that one file.
        $code | Should -Match "Invoke-RdpSystemTool -Name 'icacls\.exe' -ArgumentList @\( \`$keyFile , '/grant' , \`$script:NetworkServiceGrant \)"
        $code | Should -Match "'\*S-1-5-20:\(R\)'"
    }
}

Describe 'Repair-RdpKeyAccess when TermService already reads the key through its service SID (key-granted-termservice-sid)' {
    It 'changes nothing and restarts nothing' {
        $null = Initialize-FixTestHost -Scenario 'key-granted-termservice-sid'
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script 'key-access/Repair-RdpKeyAccess.ps1' -Parameters @{ Action = 'GrantNetworkService' }
        $run.ExitCode | Should -Be 0
        @($run.Planned).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
    }
}
