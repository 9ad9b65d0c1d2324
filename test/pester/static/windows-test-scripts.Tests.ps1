# The real-host suites (test/pester/realhost) and the contract helpers they share with the simulated
# host (test/pester/contract), and scripts/ci, run on the Windows runner in Windows PowerShell 5.1 too: the same
# 5.1 syntax and real-signature check as the shipped scripts, with Pester's own commands and node
# (which the reference of Windows cmdlets does not list) allowed.
BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    $scripts = @(Get-ChildItem -LiteralPath (Join-Path $root 'test/pester/realhost'), (Join-Path $root 'test/pester/contract'), (Join-Path $root 'scripts/ci') -Filter '*.ps1' -File |
        ForEach-Object { @{ Path = $_.FullName; Name = $_.FullName.Substring($root.Length + 1) } })
}

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'ScriptCompatibility.psm1') -Force
    $reference = Get-Content -LiteralPath (Join-Path $root '../shared/reference/windows-cmdlets.json') -Raw | ConvertFrom-Json
    $testScripts = Get-ChildItem -LiteralPath (Join-Path $root 'test/pester/realhost'), (Join-Path $root 'test/pester/contract'), (Join-Path $root 'scripts/ci') -Filter '*.ps1' -File
    $functions = Get-ScriptFunctionTable -Path @(@(Get-ShippedScript -Root $root) + @($testScripts) | ForEach-Object FullName)
    $allowed = "'(Describe|Context|It|Should|BeforeAll|AfterAll|BeforeDiscovery|node|Initialize-SimHost)' is not a Windows PowerShell"
}

Describe 'Windows-run test script <Name>' -ForEach $scripts {
    It 'uses only Windows PowerShell 5.1 syntax, commands and parameters' {
        $problems = @(Get-ScriptCompatibilityProblem -Path $Path -Reference $reference -Functions $functions | Where-Object { $_ -notmatch $allowed })
        $problems | Should -BeNullOrEmpty -Because ($problems -join "`n")
    }
}
