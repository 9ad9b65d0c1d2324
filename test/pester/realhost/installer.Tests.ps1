# Windows only (tag Installer; the workflow's installer job runs it with RDPHEALTH_INSTALLER set to
# the built rdp-health-setup-<version>-x64.exe): a silent install, what it must leave on the
# machine, the installed exe's headless check, then a silent uninstall with /KEEPDATA, a reinstall
# and a full silent uninstall, and what each removes or keeps.
BeforeAll {
    $setup = $env:RDPHEALTH_INSTALLER
    if (-not $setup -or -not (Test-Path -LiteralPath $setup)) { throw "Set RDPHEALTH_INSTALLER to the built installer (got '$setup')." }
    $installDir = Join-Path $env:ProgramFiles 'RDP Health'
    $exe = Join-Path $installDir 'RDP Health.exe'
    $dataDir = Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'RDP Health'
    $runKey = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Run'
    # SIDs, never names: the runner may be localized. Users, Authenticated Users, Everyone, INTERACTIVE.
    $untrusted = @('S-1-5-32-545', 'S-1-5-11', 'S-1-1-0', 'S-1-5-4')
    $trustedOwners = @('S-1-5-18', 'S-1-5-32-544')
    $writeRights = [Security.AccessControl.FileSystemRights]'WriteData, AppendData, WriteExtendedAttributes, WriteAttributes, Delete, DeleteSubdirectoriesAndFiles, ChangePermissions, TakeOwnership'

    function Install-Silently([string[]]$Arguments) {
        $process = Start-Process -FilePath $setup -ArgumentList $Arguments -Wait -PassThru
        if ($process.ExitCode -ne 0) { throw "The installer exited with $($process.ExitCode)." }
    }
    function Uninstall-Silently([string[]]$Arguments) {
        $uninstaller = Join-Path $installDir 'Uninstall RDP Health.exe'
        Start-Process -FilePath $uninstaller -ArgumentList $Arguments -Wait | Out-Null
        # NSIS uninstallers run from a copy in %TEMP%: wait for the files to go, within a limit.
        $deadline = [datetime]::UtcNow.AddSeconds(120)
        while ((Test-Path -LiteralPath $exe) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Seconds 1 }
    }
    function Get-UntrustedWrite([string]$Path) {
        $acl = Get-Acl -LiteralPath $Path
        $acl.GetAccessRules($true, $true, [Security.Principal.SecurityIdentifier]) |
            Where-Object { $_.AccessControlType -eq 'Allow' -and $untrusted -contains $_.IdentityReference.Value -and ($_.FileSystemRights -band $writeRights) } |
            ForEach-Object { "${Path}: $($_.IdentityReference.Value) $($_.FileSystemRights)" }
    }
    function Get-HostCheckerTask { Get-ScheduledTask -TaskPath '\RDP Health\' -TaskName 'Host Checker' -ErrorAction SilentlyContinue }

    Install-Silently @('/S')
}

Describe 'A silent install (/S)' -Tag 'Installer' {
    It 'puts the app in Program Files' { Test-Path -LiteralPath $exe | Should -BeTrue }

    It 'ships the probe scripts next to the asar, and never the simulated host' {
        Test-Path -LiteralPath (Join-Path $installDir 'resources\probes\nla\Get-RdpNla.ps1') | Should -BeTrue
        @(Get-ChildItem -LiteralPath $installDir -Recurse -File -Filter 'RdpHealth.Sim.psm1') | Should -HaveCount 0
        Test-Path -LiteralPath (Join-Path $installDir 'resources\sim') | Should -BeFalse
    }

    It 'starts the agent at sign-in for every user, hidden in the tray' {
        (Get-ItemProperty -LiteralPath $runKey).'RDP Health' | Should -Match '"[^"]*RDP Health\.exe" --hidden$'
    }

    It 'registers the Event Log source' { [Diagnostics.EventLog]::SourceExists('RDP Health') | Should -BeTrue }

    It 'registers the host checker task, run as SYSTEM' {
        $task = Get-HostCheckerTask
        $task | Should -Not -BeNullOrEmpty
        $task.Principal.UserId | Should -Match 'SYSTEM|S-1-5-18'
        $task.Actions[0].Execute | Should -Match 'RDP Health\.exe"?$'
        $task.Actions[0].Arguments | Should -Be 'host-check'
    }

    It 'locks %ProgramData%\RDP Health: owned by SYSTEM or Administrators, not inherited, no write for users' {
        $acl = Get-Acl -LiteralPath $dataDir
        $acl.AreAccessRulesProtected | Should -BeTrue
        $trustedOwners | Should -Contain (New-Object Security.Principal.NTAccount($acl.Owner)).Translate([Security.Principal.SecurityIdentifier]).Value
        @($dataDir) + @(Get-ChildItem -LiteralPath $dataDir -Directory -Recurse | ForEach-Object FullName) |
            ForEach-Object { Get-UntrustedWrite $_ } | Should -BeNullOrEmpty
    }

    It 'answers check --nagios from the installed exe: one plugin line, exit code 0-3' {
        $line = & $exe check --nagios --timeout 60 | Out-String
        $LASTEXITCODE | Should -BeIn @(0, 1, 2, 3)
        $line.Trim() | Should -Match '^RDP HEALTH (OK|WARNING|CRITICAL|UNKNOWN) - \S'
    }
}

Describe 'Uninstalling' -Tag 'Installer' {
    BeforeAll {
        $fixes = Join-Path $dataDir 'fixes'
        New-Item -ItemType Directory -Force -Path $fixes | Out-Null
        Set-Content -LiteralPath (Join-Path $fixes 'ci-marker.json') -Value '{}'
        Uninstall-Silently @('/S', '/KEEPDATA')
    }

    It '/S /KEEPDATA removes the app, the Run value, the event source and the task' {
        Test-Path -LiteralPath $exe | Should -BeFalse
        (Get-ItemProperty -LiteralPath $runKey).'RDP Health' | Should -BeNullOrEmpty
        [Diagnostics.EventLog]::SourceExists('RDP Health') | Should -BeFalse
        Get-HostCheckerTask | Should -BeNullOrEmpty
    }

    It '/S /KEEPDATA keeps the fix records' { Test-Path -LiteralPath (Join-Path $fixes 'ci-marker.json') | Should -BeTrue }

    It '/S after a reinstall removes the agent''s data too' {
        Install-Silently @('/S')
        Test-Path -LiteralPath $exe | Should -BeTrue
        Uninstall-Silently @('/S')
        Test-Path -LiteralPath $exe | Should -BeFalse
        Test-Path -LiteralPath $dataDir | Should -BeFalse
    }
}
