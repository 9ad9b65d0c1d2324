# The simulated file ACLs the key-access fix and its undo use: SDDL both ways, Set-Acl writing the
# working copy, and the icacls shadow (only the /grant form it implements; everything else refused).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:KeyFile = 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678'
    function Get-RuleText { ((Get-Acl -LiteralPath $script:KeyFile).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object { "$($_.AccessControlType) $($_.IdentityReference.Value) $($_.FileSystemRights)" }) -join '; ' }
}

Describe 'File ACL shadows' {
    BeforeEach { $script:State = Initialize-SimHost -Scenario 'healthy' }
    AfterEach { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue }

    It 'writes SDDL as Windows does: aliases for well-known SIDs and file rights, sections as asked' {
        $acl = Get-Acl -LiteralPath $KeyFile
        $acl.GetSecurityDescriptorSddlForm([System.Security.AccessControl.AccessControlSections]::Access) | Should -Be 'D:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)'
        $acl.GetSecurityDescriptorSddlForm([System.Security.AccessControl.AccessControlSections]::All) | Should -Be 'O:SYG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)'
    }

    It 'reads SDDL back (hex rights, full SIDs, inherited and deny entries) and Set-Acl writes it into the working copy' {
        $acl = Get-Acl -LiteralPath $KeyFile
        $acl.SetSecurityDescriptorSddlForm('D:PAI(D;;FR;;;WD)(A;;0x1200a9;;;S-1-5-21-1-2-3-1001)(A;ID;FA;;;SY)', [System.Security.AccessControl.AccessControlSections]::Access)
        Set-Acl -LiteralPath $KeyFile -AclObject $acl
        Get-RuleText | Should -Be 'Deny S-1-1-0 Read, Synchronize; Allow S-1-5-21-1-2-3-1001 ReadAndExecute, Synchronize; Allow S-1-5-18 FullControl'
        $read = Get-Acl -LiteralPath $KeyFile
        $read.AreAccessRulesProtected | Should -BeTrue
        $read.GetSecurityDescriptorSddlForm('Access') | Should -Be 'D:PAI(D;;FR;;;WD)(A;;0x1200a9;;;S-1-5-21-1-2-3-1001)(A;ID;FA;;;SY)'
        $read.GetOwner([System.Security.Principal.SecurityIdentifier]).Value | Should -Be 'S-1-5-18'
    }

    It 'round-trips the scenario''s own spelling exactly' {
        $before = ConvertTo-Json -Depth 10 -InputObject (Get-SimSection -Key 'files')
        $acl = Get-Acl -LiteralPath $KeyFile
        $acl.SetSecurityDescriptorSddlForm($acl.GetSecurityDescriptorSddlForm('Access'), 'Access')
        Set-Acl -LiteralPath $KeyFile -AclObject $acl
        ConvertTo-Json -Depth 10 -InputObject (Get-SimSection -Key 'files') | Should -BeExactly $before
    }

    It 'refuses SDDL it cannot read, and Set-Acl on a file that does not exist or may not be written' {
        $acl = Get-Acl -LiteralPath $KeyFile
        { $acl.SetSecurityDescriptorSddlForm('D:(A;;FA;;;NOSUCH)') } | Should -Throw '*invalid*'
        { Set-Acl -LiteralPath 'C:\ProgramData\nothing.key' -AclObject $acl -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.ItemNotFoundException])
        $state = Get-SimState; $state['files'][$KeyFile]['aclDenied'] = $true; Save-SimState -State $state
        { Set-Acl -LiteralPath $KeyFile -AclObject $acl -ErrorAction Stop } | Should -Throw -ExceptionType ([System.UnauthorizedAccessException])
    }

    It 'Set-Acl -WhatIf changes nothing' {
        $before = ConvertTo-Json -Depth 10 -InputObject (Get-SimSection -Key 'files')
        $acl = Get-Acl -LiteralPath $KeyFile
        $acl.SetSecurityDescriptorSddlForm('D:(A;;FA;;;SY)', 'Access')
        Set-Acl -LiteralPath $KeyFile -AclObject $acl -WhatIf
        ConvertTo-Json -Depth 10 -InputObject (Get-SimSection -Key 'files') | Should -BeExactly $before
    }
}

Describe 'The icacls shadow' {
    BeforeEach { $script:State = Initialize-SimHost -Scenario 'key-missing-network-service' }
    AfterEach { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue }

    It '/grant *SID:(R) adds an explicit Allow rule after the explicit ones and exits 0' {
        $output = @(icacls $KeyFile /grant '*S-1-5-20:(R)')
        $LASTEXITCODE | Should -Be 0
        $output[-1] | Should -Be 'Successfully processed 1 files; Failed processing 0 files'
        Get-RuleText | Should -Be 'Allow S-1-5-18 FullControl; Allow S-1-5-32-544 FullControl; Allow S-1-5-20 Read, Synchronize'
    }

    It '/grant adds rights to the SID''s existing rule, /grant:r replaces them' {
        $null = icacls $KeyFile /grant '*S-1-5-20:(R)'
        $null = icacls $KeyFile /grant '*S-1-5-20:(W)'
        (Get-RuleText) | Should -Match 'Allow S-1-5-20 Write, Read, Synchronize$'
        $null = icacls $KeyFile /grant:r '*S-1-5-20:(RX)'
        (Get-RuleText) | Should -Match 'Allow S-1-5-20 ReadAndExecute, Synchronize$'
        @((Get-Acl -LiteralPath $KeyFile).Access).Count | Should -Be 3
    }

    It 'reports a missing file (exit 2) and a file it may not change (exit 5) like icacls' {
        $null = icacls 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\nothing' /grant '*S-1-5-20:(R)'
        $LASTEXITCODE | Should -Be 2
        $state = Get-SimState; $state['files'][$KeyFile]['aclDenied'] = $true; Save-SimState -State $state
        $null = icacls $KeyFile /grant '*S-1-5-20:(R)'
        $LASTEXITCODE | Should -Be 5
    }

    It 'refuses every form it does not implement: <Why>' -ForEach @(
        @{ Why = 'recursion'; Arguments = @('/grant', '*S-1-5-20:(R)', '/t') }
        @{ Why = 'an account name'; Arguments = @('/grant', 'NETWORK SERVICE:(R)') }
        @{ Why = '/save'; Arguments = @('/save', 'C:\acl.txt') }
        @{ Why = 'specific rights'; Arguments = @('/grant', '*S-1-5-20:(RD,RA)') }
        @{ Why = 'no grant at all'; Arguments = @('/q') }
    ) {
        $before = ConvertTo-Json -Depth 10 -InputObject (Get-SimSection -Key 'files')
        { icacls $KeyFile @Arguments } | Should -Throw -ExceptionType ([System.NotSupportedException])
        ConvertTo-Json -Depth 10 -InputObject (Get-SimSection -Key 'files') | Should -BeExactly $before
    }

    It 'refuses a wildcard instead of one file' {
        { icacls 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\*' /grant '*S-1-5-20:(R)' } | Should -Throw -ExceptionType ([System.NotSupportedException])
    }
}
