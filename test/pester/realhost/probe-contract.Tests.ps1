# Real host only (tag RealHost; on other machines run.ps1 lists it as not applicable): every
# shipped probe against the Windows runner itself, in this shell (the job's elevated user) and as
# a temporary standard user, in whichever shell runs the suite (the workflow runs it in Windows
# PowerShell 5.1 and in PowerShell 7). Each envelope must validate against the JSON Schema made
# from its zod schema, and no probe may write to the error stream.
BeforeAll {
    . (Join-Path $PSScriptRoot '../contract/EnvelopeContract.ps1')
    $principal = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { throw 'The real-host suite runs elevated (a disposable runner).' }
    $edition = $PSVersionTable.PSEdition
    $root = Join-Path ([IO.Path]::GetTempPath()) "rdp-health-contract-$edition-$PID"
    $folders = @{ 'elevated' = (Join-Path $root 'elevated'); 'standard-user' = (Join-Path $root 'standard-user') }
    & (Join-Path $PSScriptRoot 'Save-ProbeEnvelopes.ps1') -OutDir $folders['elevated']
    $shell = if ($edition -eq 'Core') { 'pwsh.exe' } else { 'powershell.exe' }
    & (Join-Path $PSScriptRoot 'Invoke-AsStandardUser.ps1') -File (Join-Path $PSScriptRoot 'Save-ProbeEnvelopes.ps1') -OutDir $folders['standard-user'] -Shell $shell
    $checks = Test-EnvelopeDirectory -Directory @($folders.Values)
    if ($env:RDPHEALTH_ARTIFACTS) {
        $keep = Join-Path $env:RDPHEALTH_ARTIFACTS "envelopes-$edition"
        New-Item -ItemType Directory -Force -Path $keep | Out-Null
        Copy-Item -Recurse -Force -Path (Join-Path $root '*') -Destination $keep
    }
}

Describe 'Probe contract on this Windows host, as <Identity>' -Tag 'RealHost' -ForEach @(@{ Identity = 'elevated' }, @{ Identity = 'standard-user' }) {
    It 'ran every shipped probe' {
        $expected = @(Get-ShippedProbeScript | ForEach-Object Probe | Sort-Object)
        @($checks[$folders[$Identity]].Keys | Sort-Object) | Should -Be $expected
    }

    It 'wrote nothing to the error stream' {
        Get-ChildItem -LiteralPath $folders[$Identity] -Filter '*.errors.txt' |
            Where-Object { (Get-Content -Raw -LiteralPath $_.FullName).Trim() -ne '' } |
            ForEach-Object { "$($_.Name): $(Get-Content -Raw -LiteralPath $_.FullName)" } | Should -BeNullOrEmpty
    }

    It 'printed envelopes that validate against their schema' {
        $checks[$folders[$Identity]].Values | Where-Object { -not $_.valid } |
            ForEach-Object { "$($_.probe): $($_.errors -join '; ')" } | Should -BeNullOrEmpty
    }
}

Describe 'What elevation changes on this Windows host' -Tag 'RealHost' {
    It 'reads the RDP key file elevated (SYSTEM, Administrators and NETWORK SERVICE only: KB3042780)' {
        $envelope = Get-Content -Raw -LiteralPath (Join-Path $folders['elevated'] 'key-access.json') | ConvertFrom-Json
        $envelope.ok | Should -BeTrue
    }

    It 'never reports a readable-looking key ACL to a standard user that real Windows denies' {
        $envelope = Get-Content -Raw -LiteralPath (Join-Path $folders['standard-user'] 'key-access.json') | ConvertFrom-Json
        if ($envelope.ok) { ($envelope | ConvertTo-Json -Depth 16) | Should -Match 'denied|unreadable|needsElevation|readable"\s*:\s*false' }
        else { $envelope.error.kind | Should -Be 'access-denied' }
    }
}
