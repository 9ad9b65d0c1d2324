# Who the simulated checks run as: the key file's ACL, the TerminalServices namespace and the
# Remote Desktop store refuse what Windows refuses to each identity (sim/shadows/Identity.ps1).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:KeyFile = 'C:\ProgramData\Microsoft\Crypto\RSA\MachineKeys\f686aace6942fb7f7ceb231212eef4a4_3f1e2d4c-5b6a-4789-9abc-def012345678'
    $script:AdminOnly = @{ host = @{ adminOnly = @{ cimNamespaces = @('root/cimv2/TerminalServices'); certificateStores = @('LocalMachine\Remote Desktop') } } }
    function Use-Identity([string]$Scenario, [string]$Identity) { $script:State = Initialize-SimHost -Scenario $Scenario -Identity $Identity }
    # A method that throws reaches PowerShell wrapped (MethodInvocationException, ...): the exception inside.
    function Get-CryptographicError([scriptblock]$Call) {
        try { & $Call } catch { $e = $_.Exception; while ($null -ne $e -and $e -isnot [System.Security.Cryptography.CryptographicException]) { $e = $e.InnerException }; return $e }
    }
}

Describe 'Simulated identity' {
    AfterEach {
        Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue
        Remove-Item -Path env:RDP_HEALTH_SIM_IDENTITY, env:RDP_HEALTH_SIM_ELEVATED -ErrorAction SilentlyContinue
    }

    It 'is system for the shipped scenarios, and the old host.elevated flag still means what it meant' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        Get-SimIdentity | Should -Be 'system'
        Remove-Item -LiteralPath $script:State
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{ host = @{ identity = $null; elevated = $false } })
        Get-SimIdentity | Should -Be 'standard-user'
        $env:RDP_HEALTH_SIM_ELEVATED = '1'
        Get-SimIdentity | Should -Be 'elevated-admin'
    }

    It 'takes -Identity into the working copy, and the per-process variable over it' {
        Use-Identity 'healthy' 'uac-admin'
        (Get-SimSection -Key 'host')['identity'] | Should -Be 'uac-admin'
        $env:RDP_HEALTH_SIM_IDENTITY = 'system'
        Get-SimIdentity | Should -Be 'system'
        $env:RDP_HEALTH_SIM_IDENTITY = 'root'
        { Get-SimIdentity } | Should -Throw '*Unknown simulated identity*'
    }

    It 'lets SYSTEM and an elevated admin read the RDP key file''s ACL' -ForEach @(@{ Identity = 'system' }, @{ Identity = 'elevated-admin' }) {
        Use-Identity 'healthy' $Identity
        (Get-Acl -LiteralPath $KeyFile).GetOwner([System.Security.Principal.SecurityIdentifier]).Value | Should -Be 'S-1-5-18'
    }

    It 'refuses the key file''s ACL to <Identity> with UnauthorizedAccessException (Administrators deny-only under UAC)' -ForEach @(@{ Identity = 'uac-admin' }, @{ Identity = 'standard-user' }) {
        Use-Identity 'healthy' $Identity
        $caught = $null
        try { $null = Get-Acl -LiteralPath $KeyFile -ErrorAction Stop } catch { $caught = $_ }
        $caught.Exception | Should -BeOfType ([System.UnauthorizedAccessException])
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        icacls $KeyFile /grant '*S-1-5-20:(R)' | Should -Contain "${KeyFile}: Access is denied."
        $LASTEXITCODE | Should -Be 5
    }

    It 'honours a Deny entry through a deny-only group, and the owner''s implicit READ_CONTROL' {
        $path = New-SimScenarioFile -Extends 'healthy' -Patch @{ files = @{ $KeyFile = @{
                    owner = 'S-1-5-21-1004336348-1177238915-682003330-1105'
                    acl   = @(@{ IdentityReference = 'S-1-5-32-544'; FileSystemRights = 'FullControl'; AccessControlType = 'Deny'; IsInherited = $false }) } } }
        Use-Identity $path 'uac-admin'
        # The owner reads the ACL even with a Deny for Administrators (deny-only) on it.
        @((Get-Acl -LiteralPath $KeyFile).Access).Count | Should -Be 1
        Remove-Item -LiteralPath $script:State
        Use-Identity $path 'elevated-admin'
        (Get-Acl -LiteralPath $KeyFile).Owner | Should -Be 'S-1-5-21-1004336348-1177238915-682003330-1105'
    }

    It 'refuses an admin-only CIM namespace to <Identity> as WMI does' -ForEach @(@{ Identity = 'uac-admin' }, @{ Identity = 'standard-user' }) {
        Use-Identity (New-SimScenarioFile -Extends 'healthy' -Patch $AdminOnly) $Identity
        $caught = $null
        try { $null = Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting } catch { $caught = $_ }
        $caught.Exception | Should -BeOfType ([Microsoft.Management.Infrastructure.CimException])
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $caught.FullyQualifiedErrorId | Should -BeLike 'HRESULT 0x80041003,*'
        # -ErrorAction SilentlyContinue: nothing comes back, nothing is thrown.
        @(Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting -ErrorAction SilentlyContinue).Count | Should -Be 0
        # Other namespaces stay open.
        (Get-CimInstance -ClassName Win32_Service -Filter "Name='TermService'").State | Should -Be 'Running'
    }

    It 'opens the admin-only namespace and store for an elevated identity' {
        Use-Identity (New-SimScenarioFile -Extends 'healthy' -Patch $AdminOnly) 'elevated-admin'
        (Get-CimInstance -Namespace 'root\cimv2\TerminalServices' -ClassName Win32_TSGeneralSetting).TerminalName | Should -Be 'RDP-Tcp'
        @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\Remote Desktop').Count | Should -Be 1
    }

    It 'hides a refused store from the Cert: provider (does not exist) and X509Store tells denied from absent' {
        Use-Identity (New-SimScenarioFile -Extends 'healthy' -Patch $AdminOnly) 'standard-user'
        { Get-ChildItem -LiteralPath 'Cert:\LocalMachine\Remote Desktop' -ErrorAction Stop } | Should -Throw -ExceptionType ([System.Management.Automation.ItemNotFoundException])
        $flags = [System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly'
        $denied = New-Object System.Security.Cryptography.X509Certificates.X509Store 'Remote Desktop', 'LocalMachine'
        $caught = Get-CryptographicError { $denied.Open($flags) }
        '{0:X8}' -f $caught.HResult | Should -Be '80070005'
        $caught.Message | Should -Be 'Access is denied.'
        $absent = New-Object System.Security.Cryptography.X509Certificates.X509Store 'NoSuchStore', 'LocalMachine'
        $caught = Get-CryptographicError { $absent.Open($flags) }
        '{0:X8}' -f $caught.HResult | Should -Be '80070002'
        $my = New-Object System.Security.Cryptography.X509Certificates.X509Store ([System.Security.Cryptography.X509Certificates.StoreName]::My), ([System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
        $my.Open($flags)
        @($my.Certificates).Count | Should -Be 0
        $my.Close()
    }

    It 'lists the store''s certificates through X509Store for SYSTEM' {
        Use-Identity 'healthy' 'system'
        $store = New-Object System.Security.Cryptography.X509Certificates.X509Store 'Remote Desktop', 'LocalMachine'
        $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
        @($store.Certificates | ForEach-Object Thumbprint) | Should -Be @('5E8B2A4F9C1D3E7A6B0F2C4D8E1A3B5C7D9E0F12')
    }
}
