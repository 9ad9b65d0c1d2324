BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Probe = 'key-access/Get-RdpKeyAccess.ps1'
    $script:Guid = '3f1e2d4c-5b6a-4789-9abc-def012345678'
    $script:SelfSignedFile = "C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_$Guid"
    $script:CngName = "9b2e4c6a8d0f1e3a5c7b9d1f3e5a7c9b_$Guid"
}

Describe 'Get-RdpKeyAccess' {
    It 'finds the self-signed key file from MachineGuid and reads its ACL by SID on a healthy host' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $data = $result.data
        $data.keySource | Should -Be 'rdp-self-signed'
        $data.keyFile | Should -Be $SelfSignedFile
        $data.fileFound | Should -BeTrue
        $data.owner | Should -Be 'S-1-5-18'
        ($data.rules | ForEach-Object { "$($_.type) $($_.sid) $($_.rights)" }) -join '; ' |
            Should -Be 'Allow S-1-5-18 FullControl; Allow S-1-5-32-544 FullControl; Allow S-1-5-20 Read, Synchronize'
        ($data.rules | Where-Object sid -EQ 'S-1-5-20').rightsMask | Should -Be 1179785
        $data.networkServiceRead | Should -BeTrue
        $data.networkServiceRule | Should -BeTrue
        @($data.readGrantedBy) | Should -Be @('S-1-5-20')
        $data.systemFullControl | Should -BeTrue
        $data.reason | Should -BeNullOrEmpty
    }

    It 'does not open the self-signed key: a key that would refuse to open changes nothing' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ certificates = @{ 'LocalMachine\Remote Desktop' = @{ '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12' = @{ key = @{ denied = $true } } } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeTrue
        $result.data.networkServiceRead | Should -BeTrue
    }

    It 'reports a key file without a rule for NETWORK SERVICE' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'key-missing-network-service').data
        $data.fileFound | Should -BeTrue
        $data.networkServiceRead | Should -BeFalse
        $data.networkServiceRule | Should -BeFalse
        @($data.readGrantedBy).Count | Should -Be 0
        @($data.rules).Count | Should -Be 2
        $data.systemFullControl | Should -BeTrue
        $data.keyFile | Should -Be $SelfSignedFile
    }

    It 'reports an ACL it may not read as access denied (needs elevation)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'key-acl-unreadable'
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
        $result.error.message | Should -Match 'needs elevation'
        $result.error.message | Should -Match ([regex]::Escape($SelfSignedFile))
    }

    It 'opens a CA-issued certificate''s CNG key to find its file in Crypto\Keys' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-ca-issued').data
        $data.bindingType | Should -Be 3
        $data.certificateStore | Should -Be 'My'
        $data.keySource | Should -Be 'cng'
        $data.keyUniqueName | Should -Be $CngName
        $data.keyFile | Should -Be "C:\ProgramData\Microsoft\Crypto\Keys\$CngName"
        $data.networkServiceRead | Should -BeTrue
    }

    It 'opens a self-signed ECDSA certificate''s key through GetECDsaPrivateKey (PrivateKey refuses ECDSA) and finds its CNG file in Crypto\Keys' {
        $name = "5d3a1e7c9b2f4a6e8c0d1f3b5a7e9c2d_$Guid"
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-ecdsa-self-signed').data
        $data.bindingType | Should -Be 3
        $data.keySource | Should -Be 'cng'
        $data.keyStorageProvider | Should -Be 'Microsoft Software Key Storage Provider'
        $data.keyUniqueName | Should -Be $name
        $data.keyFile | Should -Be "C:\ProgramData\Microsoft\Crypto\Keys\$name"
        $data.fileFound | Should -BeTrue
        $data.networkServiceRead | Should -BeTrue
    }

    It 'finds a CSP key of a custom certificate in Crypto\RSA\MachineKeys' {
        $name = "1a2b3c4d5e6f708192a3b4c5d6e7f809_$Guid"
        $scenario = New-SimScenarioFile -Extends 'cert-ca-issued' -Patch @{
            certificates = @{ 'LocalMachine\My' = @{ 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C' = @{ key = @{ provider = 'csp'; uniqueName = $name } } } }
            files        = @{ "C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\$name" = @{ owner = 'S-1-5-32-544'; acl = @(
                        @{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'FullControl'; AccessControlType = 'Allow'; IsInherited = $false }
                        @{ IdentityReference = 'S-1-5-20'; FileSystemRights = 2147483648; AccessControlType = 'Allow'; IsInherited = $true }) } }
        }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        $data.keySource | Should -Be 'csp'
        $data.keyFile | Should -Be "C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\$name"
        # GENERIC_READ as a raw mask counts as read; the rule is inherited.
        ($data.rules | Where-Object sid -EQ 'S-1-5-20').rightsMask | Should -Be 2147483648
        ($data.rules | Where-Object sid -EQ 'S-1-5-20').inherited | Should -BeTrue
        $data.networkServiceRead | Should -BeTrue
    }

    It 'reports a key that cannot be opened as access denied' {
        $scenario = New-SimScenarioFile -Extends 'cert-ca-issued' -Patch @{ certificates = @{ 'LocalMachine\My' = @{ 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C' = @{ key = @{ denied = $true } } } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
        $result.error.message | Should -Match 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C'
    }

    It 'says why there is nothing to check when the bound certificate is missing' {
        $data = (Invoke-SimProbe -Script $Probe -Scenario 'cert-bound-missing').data
        $data.reason | Should -Be 'certificate-missing'
        $data.certificateFound | Should -BeFalse
        $data.keyFile | Should -BeNullOrEmpty
    }

    It 'says why when a custom certificate has no private key' {
        $scenario = New-SimScenarioFile -Extends 'cert-ca-issued' -Patch @{ certificates = @{ 'LocalMachine\My' = @{ 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C' = @{ HasPrivateKey = $false } } } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        $data.reason | Should -Be 'no-private-key'
        $data.hasPrivateKey | Should -BeFalse
    }

    It 'reports a missing self-signed key file' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ files = @{ $SelfSignedFile = $null } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        $data.reason | Should -Be 'key-file-missing'
        $data.fileFound | Should -BeFalse
        $data.keyFile | Should -Be $SelfSignedFile
    }

    It 'sees a Deny rule for a group NETWORK SERVICE is in, and a missing SYSTEM full control' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ files = @{ $SelfSignedFile = @{ acl = @(
                        @{ IdentityReference = 'S-1-5-18'; FileSystemRights = 'Read'; AccessControlType = 'Allow'; IsInherited = $false }
                        @{ IdentityReference = 'S-1-5-20'; FileSystemRights = 'Read'; AccessControlType = 'Allow'; IsInherited = $false }
                        @{ IdentityReference = 'S-1-5-11'; FileSystemRights = 'ReadData'; AccessControlType = 'Deny'; IsInherited = $false }) } } }
        $data = (Invoke-SimProbe -Script $Probe -Scenario $scenario).data
        @($data.readDeniedBy) | Should -Be @('S-1-5-11')
        $data.networkServiceRule | Should -BeTrue
        $data.networkServiceRead | Should -BeFalse
        $data.systemFullControl | Should -BeFalse
    }

    It 'finds the one key file by its prefix on a host without MachineGuid' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SOFTWARE\Microsoft\Cryptography' = @{ MachineGuid = $null } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeTrue
        $result.data.fileFound | Should -BeTrue
        $result.data.networkServiceRead | Should -BeTrue
    }
}
