# Start-RdpElevatedFix.ps1: the request is checked before anything runs, the fix starts elevated by
# full path with validated arguments only, and UAC declined (Win32 error 1223) means "cancelled".
# Start-RdpElevatedProcess (the launcher's Process.Start with the runas verb) is the seam: mocked to
# throw what Windows throws, or to run the fix as if elevated.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'FixTestHost.ps1')
    $script:Launcher = Join-Path $script:RepoRoot 'probes/common/Start-RdpElevatedFix.ps1'

    # The launcher's own Start-RdpElevatedProcess (its real parameters), defined here so Mock can find it.
    $launcherAst = [System.Management.Automation.Language.Parser]::ParseFile($script:Launcher, [ref]$null, [ref]$null)
    $startAst = $launcherAst.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq 'Start-RdpElevatedProcess' }, $true)
    . ([scriptblock]::Create($startAst.Extent.Text))
    $waitAst = $launcherAst.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq 'Wait-RdpProcessExit' }, $true)
    . ([scriptblock]::Create($waitAst.Extent.Text))
    $lineAst = $launcherAst.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq 'Get-RdpFixRequestLine' }, $true)
    . ([scriptblock]::Create($lineAst.Extent.Text))

    # What Windows throws when the UAC prompt is declined: Process.Start raises Win32Exception 1223,
    # which a .NET method call from PowerShell surfaces as a MethodInvocationException around it.
    function New-DeclinedException {
        $win32 = [System.ComponentModel.Win32Exception]::new(1223)
        [System.Management.Automation.MethodInvocationException]::new('Exception calling "Start" with "1" argument(s): "The operation was canceled by the user."', $win32)
    }

    function New-FixRequest {
        param([hashtable]$Request)
        $path = Join-Path $TestDrive ('request-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.json')
        ConvertTo-Json -InputObject $Request -Depth 5 | Set-Content -LiteralPath $path
        $path
    }

    function Invoke-Launcher {
        param([Parameter(Mandatory)][hashtable]$Request)
        $requestPath = New-FixRequest -Request $Request
        $resultPath = Join-Path $TestDrive ('result-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.json')
        $global:LASTEXITCODE = 0
        $null = & $script:Launcher -RequestPath $requestPath -ResultPath $resultPath
        $exitCode = $global:LASTEXITCODE
        [PSCustomObject]@{ ExitCode = $exitCode; Result = (Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json) }
    }

    $script:EnableRequest = @{ schema = 1; script = 'nla/Repair-RdpNla.ps1'; parameters = @{ Action = 'Enable' }; recordId = '20250101T120000Z-nla_enable-0000abcd' }
}
AfterAll { Remove-Item -Path env:RDP_HEALTH_FIX_ROOT -ErrorAction SilentlyContinue }

Describe 'Start-RdpElevatedFix when the UAC prompt is declined' {
    BeforeEach { $null = Initialize-FixTestHost -Scenario 'nla-off-local' }

    It 'maps Win32Exception 1223 inside a MethodInvocationException (how Process.Start reports it) to cancelled - nothing was changed' {
        Mock Start-RdpElevatedProcess { throw (New-DeclinedException) }
        $before = Get-FixHostText
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 1223
        $run.Result.status | Should -Be 'cancelled'
        $run.Result.message | Should -Match 'nothing was changed'
        $run.Result.result | Should -BeNullOrEmpty
        Get-FixHostText | Should -BeExactly $before
        Should -Invoke Start-RdpElevatedProcess -Times 1 -Exactly
    }

    It 'maps a bare Win32Exception 1223 to cancelled' {
        Mock Start-RdpElevatedProcess { throw [System.ComponentModel.Win32Exception]::new(1223) }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 1223
        $run.Result.status | Should -Be 'cancelled'
    }

    It 'recognizes 1223 by number, whatever the (localized) message says' {
        Mock Start-RdpElevatedProcess { throw [System.ComponentModel.Win32Exception]::new(1223, 'Der Vorgang wurde vom Benutzer abgebrochen.') }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.Result.status | Should -Be 'cancelled'
    }

    It 'does not call the message-only InvalidOperationException of Start-Process a cancel (the number is gone)' {
        Mock Start-RdpElevatedProcess { throw [System.InvalidOperationException]::new('This command cannot be run due to the error: The operation was canceled by the user.') }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.Result.status | Should -Be 'failed'
        $run.ExitCode | Should -Be 4
    }

    It 'does not call another Win32 error a cancel' {
        Mock Start-RdpElevatedProcess {
            throw [System.Management.Automation.MethodInvocationException]::new('Exception calling "Start"', [System.ComponentModel.Win32Exception]::new(2))
        }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.Result.status | Should -Be 'failed'
        $run.ExitCode | Should -Be 4
        $run.Result.message | Should -Match 'could not be started'
    }
}

Describe 'Start-RdpElevatedFix when elevation is granted' {
    BeforeEach {
        $null = Initialize-FixTestHost -Scenario 'nla-off-local'
        # As if elevated: run the script the argument list names, with the arguments it carries.
        Mock Start-RdpElevatedProcess {
            $tokens = @($ArgumentList)
            $at = [array]::IndexOf($tokens, '-File')
            $file = $tokens[$at + 1].Trim('"')
            $parameters = @{}
            for ($i = $at + 2; $i -lt $tokens.Count; $i += 2) { $parameters[$tokens[$i].TrimStart('-')] = $tokens[$i + 1] }
            $null = & $file @parameters
            [int]$global:LASTEXITCODE
        }
    }

    It 'starts powershell.exe elevated by full path with only the validated arguments' {
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 0
        $run.Result.status | Should -Be 'completed'
        Should -Invoke Start-RdpElevatedProcess -Times 1 -Exactly -ParameterFilter {
            $FilePath -eq 'C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe' -and @($ArgumentList).Count -eq 10 -and
            (@($ArgumentList)[0..4] -join ' ') -eq '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File' -and
            (@($ArgumentList)[5] -like '"*Repair-RdpNla.ps1"') -and
            (@($ArgumentList)[6..9] -join ' ') -eq '-RecordId 20250101T120000Z-nla_enable-0000abcd -Action Enable'
        }
    }

    It 'does not use Start-Process (it drops the 1223 a declined prompt carries)' {
        Mock Start-Process { throw 'Start-Process must not be used' }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.Result.status | Should -Be 'completed'
        Should -Invoke Start-Process -Times 0
    }

    It 'reports a fix that ended without a result as failed, with its exit code' {
        Mock Start-RdpElevatedProcess { 5 }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 5
        $run.Result.status | Should -Be 'failed'
        $run.Result.message | Should -Match 'exit code 5\) without writing its result'
    }

    It 'takes powershell.exe from the system folder the OS reports, not from %SystemRoot%' {
        Mock Get-RdpSystemDirectory { 'D:\OS\system32' }
        $saved = $env:SystemRoot
        try {
            $env:SystemRoot = 'C:\Users\eve\fake'
            $run = Invoke-Launcher -Request $script:EnableRequest
        } finally { $env:SystemRoot = $saved }
        $run.ExitCode | Should -Be 0
        Should -Invoke Start-RdpElevatedProcess -Times 1 -Exactly -ParameterFilter { $FilePath -eq 'D:\OS\system32\WindowsPowerShell\v1.0\powershell.exe' }
    }

    It 'refuses to start anything when the system folder cannot be read (ConstrainedLanguage)' {
        Mock Get-RdpSystemDirectory { $null }
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 4
        $run.Result.status | Should -Be 'failed'
        $run.Result.message | Should -Match 'system folder'
        Should -Invoke Start-RdpElevatedProcess -Times 0
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
    }

    It 'passes back the fix result, and the fix changed the host' {
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.Result.result.fixId | Should -Be 'nla.enable'
        $run.Result.result.outcome | Should -Be 'applied'
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 1
    }

    It 'runs an undo the same way' {
        $null = Invoke-Launcher -Request $script:EnableRequest
        $run = Invoke-Launcher -Request @{ schema = 1; script = 'common/Undo-RdpFix.ps1'; parameters = @{}; recordId = $script:EnableRequest.recordId }
        $run.ExitCode | Should -Be 0
        $run.Result.result.undo | Should -BeTrue
        $run.Result.result.outcome | Should -Be 'undone'
        (Invoke-FixProbe -Script 'nla/Get-RdpNla.ps1').data.effective | Should -Be 0
    }

    It 'passes the exit code of a fix blocked by policy' {
        $null = Initialize-FixTestHost -Scenario 'nla-off-by-policy'
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 2
        $run.Result.result.outcome | Should -Be 'blocked'
    }
}

Describe 'Start-RdpElevatedFix rejects a request the allowlist does not name' {
    BeforeEach {
        $null = Initialize-FixTestHost -Scenario 'nla-off-local'
        Mock Start-RdpElevatedProcess { throw 'must not be called' }
    }

    It 'rejects <Why>' -ForEach @(
        @{ Why = 'a script that is not a fix'; Change = @{ script = 'nla/Get-RdpNla.ps1' } }
        @{ Why = 'a path out of the probes folder'; Change = @{ script = '../../tmp/Repair-RdpEvil.ps1' } }
        @{ Why = 'a fix that is not installed'; Change = @{ script = 'nla/Repair-RdpMissing.ps1' } }
        @{ Why = 'a value with spaces and a command'; Change = @{ parameters = @{ Action = 'Enable; Remove-Item C:\' } } }
        @{ Why = 'a quoted value'; Change = @{ parameters = @{ Action = '"Enable"' } } }
        @{ Why = 'a reserved parameter'; Change = @{ parameters = @{ Action = 'Enable'; WhatIf = 'x' } } }
        @{ Why = 'a parameter name with a dash'; Change = @{ parameters = @{ '-Action' = 'Enable' } } }
        @{ Why = 'a bad record id'; Change = @{ recordId = '..\..\x' } }
        @{ Why = 'a fix value the catalog does not give'; Change = @{ parameters = @{ Action = 'Disable2' } } }
        @{ Why = 'a parameter the catalog does not give that fix'; Change = @{ parameters = @{ Action = 'Enable'; Layer = 'Tls' } } }
        @{ Why = 'no parameters for a fix that has some'; Change = @{ parameters = @{} } }
        @{ Why = 'a fix that runs with the user''s own rights'; Change = @{ script = 'client/Repair-RdpFile.ps1'; parameters = @{ Action = 'EnableCredSsp'; TargetHost = 'host1' } } }
        @{ Why = 'undo with parameters'; Change = @{ script = 'common/Undo-RdpFix.ps1'; parameters = @{ Action = 'Enable' } } }
        @{ Why = 'an extra field'; Change = @{ command = 'Remove-Item' } }
    ) {
        $request = @{} + $script:EnableRequest
        foreach ($key in $Change.Keys) { $request[$key] = $Change[$key] }
        $run = Invoke-Launcher -Request $request
        $run.ExitCode | Should -Be 87
        $run.Result.status | Should -Be 'failed'
        $run.Result.message | Should -Match 'Invalid fix request'
        Should -Invoke Start-RdpElevatedProcess -Times 0
    }
}

Describe 'Start-RdpElevatedFix spells a request as its allowlist line' {
    It 'puts the parameters in ordinal order of their names, whatever order the request gave' {
        Get-RdpFixRequestLine -ScriptName 'certificate/Repair-RdpCertificate.ps1' -Parameters ([ordered]@{ Scope = 'ExpiringOrExpired'; Action = 'RenewSelfSigned' }) |
            Should -BeExactly 'certificate/Repair-RdpCertificate.ps1 -Action RenewSelfSigned -Scope ExpiringOrExpired'
        Get-RdpFixRequestLine -ScriptName 'common/Undo-RdpFix.ps1' -Parameters ([ordered]@{}) | Should -BeExactly 'common/Undo-RdpFix.ps1'
    }
}

Describe 'Start-RdpElevatedFix waits for the elevated fix with a timeout' {
    BeforeEach { $null = Initialize-FixTestHost -Scenario 'nla-off-local' }

    It 'Wait-RdpProcessExit throws a TimeoutException for a process still running, and leaves it running' {
        $sleep = (Get-Command -Name 'sleep' -CommandType Application | Select-Object -First 1).Source
        $process = [System.Diagnostics.Process]::Start($sleep, '30')
        try {
            { Wait-RdpProcessExit -Process $process -TimeoutSeconds 1 } | Should -Throw -ExceptionType ([System.TimeoutException])
            $process.HasExited | Should -BeFalse
        } finally { $process.Kill(); $process.Dispose() }
    }

    It 'Wait-RdpProcessExit returns the exit code of a process that ends in time' {
        $sh = (Get-Command -Name 'sh' -CommandType Application | Select-Object -First 1).Source
        $process = [System.Diagnostics.Process]::Start($sh, '-c "exit 3"')
        try { Wait-RdpProcessExit -Process $process -TimeoutSeconds 60 | Should -Be 3 } finally { $process.Dispose() }
    }

    It 'a fix that does not finish in time is failed with 1460 and says it may still be running; nothing is copied' {
        Mock Start-RdpElevatedProcess { throw [System.TimeoutException]::new('The fix did not finish within 600 seconds.') }
        $before = Get-FixHostText
        $run = Invoke-Launcher -Request $script:EnableRequest
        $run.ExitCode | Should -Be 1460
        $run.Result.status | Should -Be 'failed'
        $run.Result.message | Should -Match 'did not finish within 600 seconds and may still be running'
        $run.Result.result | Should -BeNullOrEmpty
        Get-FixHostText | Should -BeExactly $before
        Should -Invoke Start-RdpElevatedProcess -Times 1 -Exactly -ParameterFilter { $TimeoutSeconds -eq 600 }
    }
}
