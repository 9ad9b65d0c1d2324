# Every shipped script runs on Windows PowerShell 5.1: parsed with PowerShell's own parser, checked
# against the real cmdlet signatures in ../shared/reference/windows-cmdlets.json, encoded so 5.1
# reads it right. The checker itself is tested on bad snippets, so a green run means something.
BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'ScriptCompatibility.psm1') -Force
    $shipped = @(Get-ShippedScript -Root $root | ForEach-Object { @{ Path = $_.FullName; Name = $_.FullName.Substring($root.Length + 1) } })
}

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'ScriptCompatibility.psm1') -Force
    $referencePath = Join-Path $root '../shared/reference/windows-cmdlets.json'
    if (-not (Test-Path -LiteralPath $referencePath)) { throw "The cmdlet reference is missing: $referencePath" }
    $reference = Get-Content -LiteralPath $referencePath -Raw | ConvertFrom-Json
    $functions = Get-ScriptFunctionTable -Path @(Get-ShippedScript -Root $root | ForEach-Object FullName)

    function Get-SnippetProblem([string]$Code) {
        $path = Join-Path $TestDrive 'snippet.ps1'
        Set-Content -LiteralPath $path -Value $Code
        @(Get-ScriptCompatibilityProblem -Path $path -Reference $reference -Functions $functions)
    }
}

Describe 'Shipped script <Name>' -ForEach $shipped {
    It 'uses only Windows PowerShell 5.1 syntax, commands and parameters' {
        $problems = @(Get-ScriptCompatibilityProblem -Path $Path -Reference $reference -Functions $functions)
        $problems | Should -BeNullOrEmpty -Because ($problems -join "`n")
    }
    It 'is ASCII or UTF-8 with a BOM' {
        Test-ShippedEncoding -Path $Path | Should -BeTrue
    }
}

Describe 'The compatibility check itself' {
    It 'finds <Why>' -ForEach @(
        @{ Code = '$a = $b ?? 1'; Why = 'the ?? operator'; Expect = '\?\? operator' }
        @{ Code = '$a = $b ? 1 : 2'; Why = 'the ternary operator'; Expect = '\?: operator' }
        @{ Code = 'Get-Date && Get-Date'; Why = 'a pipeline chain'; Expect = 'pipeline chain' }
        @{ Code = '$a = ${b}?.c'; Why = 'null-conditional member access'; Expect = '\?\. operator' }
        @{ Code = 'Get-WmiObject Win32_Service'; Why = 'Get-WmiObject'; Expect = 'Get-CimInstance' }
        @{ Code = 'Get-Thing -Name x'; Why = 'an unknown command'; Expect = "'Get-Thing' is not" }
        @{ Code = 'Get-Item -Path x -Bogus'; Why = 'an unknown parameter'; Expect = 'no parameter -Bogus' }
        @{ Code = 'ConvertTo-Json -InputObject 1 -AsArray'; Why = 'a parameter 5.1 lacks'; Expect = 'no parameter -AsArray' }
        @{ Code = 'Get-ChildItem -F x'; Why = 'an ambiguous parameter prefix'; Expect = 'ambiguous' }
        @{ Code = 'Get-NetFirewallRule -DisplayGroup "Remote Desktop"'; Why = 'selection by localized display group'; Expect = 'localized' }
        @{ Code = 'Get-ChildItem -Path x -FollowSymlink'; Why = 'a dynamic parameter added in 6'; Expect = 'not in Windows PowerShell 5.1' }
        @{ Code = 'if ($true) {'; Why = 'a parse error'; Expect = 'parse error' }
    ) {
        (Get-SnippetProblem $Code) -join "`n" | Should -Match $Expect
    }

    It 'accepts 5.1 code with aliases, prefixes and common parameters' {
        Get-SnippetProblem 'Get-ChildItem -Path x -Recurse -ErrorAction Stop | Where-Object { $_ } | Select-Object -First 1; gci -Pa x; Get-ItemProperty -LiteralPath x -Name y -ea SilentlyContinue' | Should -BeNullOrEmpty
    }

    It 'rejects a script with non-ASCII text and no BOM, and accepts one with a BOM' {
        $plain = Join-Path $TestDrive 'plain.ps1'
        [System.IO.File]::WriteAllText($plain, "'caf$([char]0xE9)'", (New-Object System.Text.UTF8Encoding $false))
        Test-ShippedEncoding -Path $plain | Should -BeFalse
        $bom = Join-Path $TestDrive 'bom.ps1'
        [System.IO.File]::WriteAllText($bom, "'caf$([char]0xE9)'", (New-Object System.Text.UTF8Encoding $true))
        Test-ShippedEncoding -Path $bom | Should -BeTrue
    }
}
