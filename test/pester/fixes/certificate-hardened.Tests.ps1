# Repair-RdpCertificate.ps1 on hardened hosts (issue 11): a store key that denies SYSTEM CreateSubKey
# forbids regeneration, so the fix refuses up front; a self-signed certificate kept in the store
# WinStations\SelfSignedCertStore names is renewed there. The registry ACL shadow (RegistryAcl.ps1)
# and what the simulated Windows does with such an ACL are checked here too.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:Fix = 'certificate/Repair-RdpCertificate.ps1'
    $script:Bound = '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12'
    $script:CertificatesKey = 'HKLM:\SOFTWARE\Microsoft\SystemCertificates\Remote Desktop\Certificates'
    function New-DenyScenario {
        <# cert-self-signed-expired with one Deny entry in front of the default ACL of the Certificates key. #>
        param([string]$Sid, [string]$Rights = 'CreateSubKey', [string]$Propagation = 'None', [string]$Name)
        $default = @((Read-SimScenario -Path (Resolve-SimScenarioPath -Scenario 'healthy'))['registryAcl'][$script:CertificatesKey]['acl'])
        $deny = [ordered]@{ IdentityReference = $Sid; RegistryRights = $Rights; AccessControlType = 'Deny'; IsInherited = $false; InheritanceFlags = 'ContainerInherit'; PropagationFlags = $Propagation }
        New-SimScenarioFile -Extends 'cert-self-signed-expired' -Name $Name -Patch @{ registryAcl = @{ $script:CertificatesKey = @{ owner = 'S-1-5-18'; acl = @($deny) + $default } } }
    }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Repair-RdpCertificate where the store forbids regeneration (cert-regeneration-denied-by-acl)' {
    It 'refuses up front, naming the key and the entry, changes nothing and writes no undo record' {
        $testHost = Initialize-FixTestHost -Scenario 'cert-regeneration-denied-by-acl'
        $before = Get-FixHostText
        $preview = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned'; WhatIf = $true }
        @($preview.Planned).Count | Should -Be 0
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 1
        $run.Result.outcome | Should -Be 'failed'
        $run.Result.error.message | Should -Match ([regex]::Escape('HKLM\SOFTWARE\Microsoft\SystemCertificates\Remote Desktop\Certificates forbids Windows'))
        $run.Result.error.message | Should -Match 'Deny CreateSubKey for S-1-5-18\..*nothing was changed'
        @($run.Result.changes).Count | Should -Be 0
        Get-FixHostText | Should -BeExactly $before
        Test-Path -LiteralPath (Join-Path $testHost.FixRoot "$($run.Result.recordId).undo.json") | Should -BeFalse
    }

    It 'counts a Deny through a group in SYSTEM''s token (Administrators), and GENERIC_WRITE as CreateSubKey' {
        $null = Initialize-FixTestHost -Scenario (New-DenyScenario -Sid 'S-1-5-32-544' -Rights '1073741824' -Name 'deny-admins')
        $before = Get-FixHostText
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.Result.error.message | Should -Match 'for S-1-5-32-544\.'
        Get-FixHostText | Should -BeExactly $before
    }

    It 'renews when the Deny is for a group SYSTEM does not have (Users) or only reaches subkeys (InheritOnly)' {
        foreach ($case in @(@{ Sid = 'S-1-5-32-545'; Propagation = 'None' }, @{ Sid = 'S-1-5-18'; Propagation = 'InheritOnly' })) {
            $null = Initialize-FixTestHost -Scenario (New-DenyScenario -Sid $case.Sid -Propagation $case.Propagation -Name "allowed-$($case.Propagation)")
            $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
            $run.Result.outcome | Should -Be 'applied' -Because "a Deny for $($case.Sid) ($($case.Propagation)) does not stop SYSTEM"
        }
    }

    It 'the simulated Windows cannot regenerate there either: restarting SessionEnv logs event 1058 and binds nothing new' {
        $null = Initialize-FixTestHost -Scenario 'cert-regeneration-denied-by-acl'
        Restart-Service -Name 'SessionEnv'
        $state = Get-SimState
        @($state['certificates']['LocalMachine\Remote Desktop'].Keys) | Should -Contain $script:Bound
        $state['cim']['root/cimv2/terminalservices:Win32_TSGeneralSetting']['RDP-Tcp']['SSLCertificateSHA1Hash'] | Should -Be $script:Bound
        $last = @($state['events'])[-1]
        $last['Id'] | Should -Be 1058
        $last['Message'] | Should -Match 'Access is denied'
    }
}

Describe 'Repair-RdpCertificate renews in the store SelfSignedCertStore names (cert-expired-custom-store)' {
    It 'deletes the expired certificate from RDP Hardened, and Windows binds a new one there' {
        $null = Initialize-FixTestHost -Scenario 'cert-expired-custom-store'
        $run = Invoke-FixScript -Script $Fix -Parameters @{ Action = 'RenewSelfSigned' }
        $run.ExitCode | Should -Be 0
        $run.Result.outcome | Should -Be 'applied'
        @($run.Result.changes | Where-Object { $_.target -match 'Cert:\\LocalMachine\\RDP Hardened' }).Count | Should -Be 1
        $state = Get-SimState
        @($state['certificates']['LocalMachine\RDP Hardened'].Keys) | Should -Not -Contain $script:Bound
        $data = (Invoke-FixProbe -Script 'certificate/Get-RdpCertificate.ps1').data
        $data.boundThumbprint | Should -Not -Be $script:Bound
        $data.boundStore | Should -Be 'RDP Hardened'
        ([datetime]$data.boundCertificate.notAfter).ToUniversalTime() | Should -BeGreaterThan ([datetime]::UtcNow.AddDays(150))
    }
}

Describe 'The registry ACL shadow (RegistryAcl.ps1)' {
    It 'answers Get-Acl on a registry key with RegistrySecurity-shaped rules, by SID, for a standard user too' {
        $null = Initialize-FixTestHost -Scenario 'cert-regeneration-denied-by-acl' -Identity 'standard-user'
        $acl = Get-Acl -LiteralPath $script:CertificatesKey
        $acl.PSObject.TypeNames[0] | Should -Be 'System.Security.AccessControl.RegistrySecurity'
        $rules = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]))
        $rules[0].RegistryRights | Should -Be ([System.Security.AccessControl.RegistryRights]::CreateSubKey)
        [string]$rules[0].AccessControlType | Should -Be 'Deny'
        $rules[0].IdentityReference.Value | Should -Be 'S-1-5-18'
        @($acl.GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier])).Count | Should -Be 1
        { $acl.GetAccessRules($true, $true, [System.Security.Principal.NTAccount]) } | Should -Throw '*by SID only*'
        { Get-Acl -LiteralPath 'HKLM:\SOFTWARE\Microsoft\SystemCertificates\Nowhere' -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.ItemNotFoundException])
    }
}
