# Issue 11, items 1-4, 7, 8, 13: the certificate, key-access, NLA and security-layer probes agree with
# real Windows where the old probes did not. Each scenario named here failed on the earlier probes.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:SelfSigned = '5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12'
}

Describe 'The healthy host read as SYSTEM and as a standard user' {
    It 'as <Identity>: NLA, security layer and certificate read fully; the key file ACL only as SYSTEM' -ForEach @(@{ Identity = 'system' }, @{ Identity = 'standard-user' }, @{ Identity = 'uac-admin' }) {
        (Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'healthy' -Identity $Identity).data.effective | Should -Be 1
        (Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario 'healthy' -Identity $Identity).data.securityLayer.effective | Should -Be 2
        $certificate = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario 'healthy' -Identity $Identity).data
        $certificate.boundFound | Should -BeTrue
        $certificate.thumbprintsAgree | Should -BeTrue
        $certificate.selfSignedThumbprint | Should -Be $SelfSigned
        $key = Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario 'healthy' -Identity $Identity
        if ($Identity -eq 'system') {
            $key.data.networkServiceRead | Should -BeTrue
        } else {
            # Administrators is deny-only under UAC: like a standard user, it may not read the ACL (needs more rights, never FAIL).
            $key.ok | Should -BeFalse
            $key.error.kind | Should -Be 'access-denied'
        }
    }
}

Describe 'WMI refuses the account (wmi-terminalservices-denied)' {
    It 'NLA and the security layer carry on from the registry and say WMI could not be read' {
        $nla = Invoke-SimProbe -Script 'nla/Get-RdpNla.ps1' -Scenario 'wmi-terminalservices-denied'
        $nla.ok | Should -BeTrue
        $nla.data.effective | Should -Be 1
        $nla.data.wmi.readable | Should -BeFalse
        $nla.data.wmi.errorKind | Should -Be 'access-denied'
        $nla.data.wmiPolicySource | Should -BeNullOrEmpty
        $layer = Invoke-SimProbe -Script 'security-layer/Get-RdpSecurityLayer.ps1' -Scenario 'wmi-terminalservices-denied'
        $layer.ok | Should -BeTrue
        $layer.data.securityLayer.effective | Should -Be 2
        $layer.data.wmi.errorKind | Should -Be 'access-denied'
    }

    It 'the certificate binding falls back to WinStations\SelfSignedCertificate (type 1)' {
        $data = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario 'wmi-terminalservices-denied').data
        $data.bindingSource | Should -Be 'registry-self-signed'
        $data.bindingType | Should -Be 1
        $data.boundThumbprint | Should -Be $SelfSigned
        $data.boundFound | Should -BeTrue
        $data.wmi.readable | Should -BeFalse
    }

    It 'a custom registry binding is used without WMI, with no binding type claimed' {
        $scenario = New-SimScenarioFile -Extends 'cert-ca-issued' -Patch @{ host = @{ identity = 'standard-user'; adminOnly = @{ cimNamespaces = @('root/cimv2/TerminalServices') } } }
        $data = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario $scenario).data
        $data.bindingSource | Should -Be 'registry-custom'
        $data.bindingType | Should -BeNullOrEmpty
        $data.boundThumbprint | Should -Be 'C7A1E93F2B4D6F8091A2B3C4D5E6F708192A3B4C'
        $data.boundStore | Should -Be 'My'
    }
}

Describe 'An unreadable Remote Desktop store (cert-store-denied)' {
    It 'is told from a missing one: denied, the certificate not found, nothing claimed absent' {
        $data = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario 'cert-store-denied').data
        $data.boundFound | Should -BeFalse
        $store = $data.stores | Where-Object name -EQ 'Remote Desktop'
        $store.access | Should -Be 'denied'
        $store.present | Should -BeFalse
        ($data.stores | Where-Object name -EQ 'My').access | Should -Be 'read'
        $absent = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{ certificates = @{ 'LocalMachine\Remote Desktop' = $null } })).data
        ($absent.stores | Where-Object name -EQ 'Remote Desktop').access | Should -Be 'absent'
    }
}

Describe 'The self-signed binding in the registry (cert-self-signed-custom-store)' {
    It 'finds the certificate in the store WinStations\SelfSignedCertStore names' {
        $data = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario 'cert-self-signed-custom-store').data
        $data.selfSignedStore | Should -Be 'RDP Hardened'
        $data.boundFound | Should -BeTrue
        $data.boundStore | Should -Be 'RDP Hardened'
        @($data.stores.name) | Should -Be @('RDP Hardened', 'My')
    }

    It 'cross-checks WMI with SelfSignedCertificate for type 1, and a stray custom hash disagrees' {
        $data = (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario 'healthy').data
        $data.customThumbprint | Should -BeNullOrEmpty
        $data.registryThumbprint | Should -Be $SelfSigned
        $stale = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations' = @{ SelfSignedCertificate = @{ binary = '00112233445566778899AABBCCDDEEFF00112233' } } } }
        (Invoke-SimProbe -Script 'certificate/Get-RdpCertificate.ps1' -Scenario $stale).data.thumbprintsAgree | Should -BeFalse
    }
}

Describe 'The key file and TermService''s token' {
    It 'lists the key file by prefix on an imaged machine (key-file-cloned-machine)' {
        $data = (Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario 'key-file-cloned-machine').data
        $data.reason | Should -BeNullOrEmpty
        $data.keyFile | Should -BeLike '*\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678'
        @($data.prefixMatches).Count | Should -Be 1
        $data.networkServiceRead | Should -BeTrue
    }

    It 'reports several key files none of which is the current MachineGuid''s, and none as missing' {
        $second = 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_11111111-2222-3333-4444-555555555555'
        $several = New-SimScenarioFile -Extends 'key-file-cloned-machine' -Patch @{ files = @{ $second = @{ owner = 'S-1-5-18'; acl = @() } } }
        $data = (Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario $several).data
        $data.reason | Should -Be 'several-key-files'
        @($data.prefixMatches).Count | Should -Be 2
        $none = New-SimScenarioFile -Extends 'healthy' -Patch @{ files = @{ 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678' = $null; 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\other' = @{ acl = @() } } }
        (Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario $none).data.reason | Should -Be 'key-file-missing'
    }

    It 'counts a grant to NT SERVICE\TermService (key-granted-termservice-sid), its SID derived as sc.exe showsid does' {
        $data = (Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario 'key-granted-termservice-sid').data
        $data.networkServiceRead | Should -BeTrue
        @($data.readGrantedBy) | Should -Be @('S-1-5-80-446051430-1559341753-4161941529-1950928533-810483104')
        ($data.serviceSids | Where-Object name -EQ 'TermService').sid | Should -Be 'S-1-5-80-446051430-1559341753-4161941529-1950928533-810483104'
    }

    It 'counts a Deny through a co-hosted service''s SID in a shared svchost (DoSvc shares TermService''s)' {
        $scenario = New-SimScenarioFile -Extends 'termservice-shared-svchost' -Patch @{ files = @{ 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678' = @{ acl = @(
                        @{ IdentityReference = 'S-1-5-80-3055155277-3816794035-3994065555-2874236192-2193176987'; FileSystemRights = 'Read'; AccessControlType = 'Deny'; IsInherited = $false },
                        @{ IdentityReference = 'S-1-5-20'; FileSystemRights = 'Read, Synchronize'; AccessControlType = 'Allow'; IsInherited = $false }) } } }
        $data = (Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario $scenario).data
        @($data.serviceSids).Count | Should -BeGreaterThan 1
        @($data.readDeniedBy) | Should -Be @('S-1-5-80-3055155277-3816794035-3994065555-2874236192-2193176987')
        $data.networkServiceRead | Should -BeFalse
    }

    It 'names the provider of a key that is not in a file (cert-tpm-key)' {
        $data = (Invoke-SimProbe -Script 'key-access/Get-RdpKeyAccess.ps1' -Scenario 'cert-tpm-key').data
        $data.reason | Should -Be 'not-file-backed'
        $data.keyStorageProvider | Should -Be 'Microsoft Platform Crypto Provider'
    }
}
