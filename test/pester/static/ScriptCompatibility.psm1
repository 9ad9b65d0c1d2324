# Guards what can't run here: every shipped script must parse and run on Windows PowerShell 5.1,
# and call only commands and parameters that exist there (per ../shared/reference/windows-cmdlets.json)
# or are defined in the repository. Uses PowerShell's own parser; no PSScriptAnalyzer needed.

Set-StrictMode -Version 3.0
$script:CmdletIndex = $null
$script:IndexedReference = $null

# Native programs a shipped script may start (by name; each is on every Windows host).
$script:NativeCommands = @('icacls', 'icacls.exe', 'netstat', 'netstat.exe', 'qwinsta', 'qwinsta.exe', 'powershell.exe', 'certutil.exe', 'sc.exe')
# Allowed by the parser and by 5.1, but never in our scripts (RDP-FACTS.md).
$script:ForbiddenCommands = @{
    'Get-WmiObject' = 'Get-WmiObject is gone in PowerShell 7: use Get-CimInstance'
    'gwmi'          = 'Get-WmiObject is gone in PowerShell 7: use Get-CimInstance'
    'wmic'          = 'wmic is removed from Windows 11 24H2 / Server 2025: use Get-CimInstance'
    'wmic.exe'      = 'wmic is removed from Windows 11 24H2 / Server 2025: use Get-CimInstance'
}
$script:ForbiddenParameters = @{ 'DisplayGroup' = '-DisplayGroup matches localized text: select rules by Name or Group' }

function Get-ShippedScript {
    <# Every .ps1/.psm1 the product ships (probes/; the simulated host is sim/, never shipped), and the scripts admins run on real hosts (scripts/). #>
    param([Parameter(Mandatory)][string]$Root)
    Get-ChildItem -LiteralPath (Join-Path $Root 'probes') -Recurse -File -Include '*.ps1', '*.psm1'
    Get-ChildItem -LiteralPath (Join-Path $Root 'scripts') -File -Include '*.ps1', '*.psm1' -Recurse
}

function Read-ScriptAst {
    param([Parameter(Mandatory)][string]$Path)
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    @{ Ast = $ast; Tokens = $tokens; Errors = $errors }
}

function Get-ScriptFunctionTable {
    <# name -> parameter names, for every function defined in the given scripts. #>
    param([Parameter(Mandatory)][string[]]$Path)
    $table = @{}
    foreach ($file in $Path) {
        $parsed = Read-ScriptAst -Path $file
        foreach ($function in $parsed.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) {
            $names = @()
            $parameters = if ($function.Body.ParamBlock) { $function.Body.ParamBlock.Parameters } else { $function.Parameters }
            foreach ($parameter in @($parameters)) { if ($parameter) { $names += $parameter.Name.VariablePath.UserPath } }
            $isAdvanced = $null -ne $function.Body.ParamBlock -and @($function.Body.ParamBlock.Attributes | Where-Object { $_.TypeName.Name -eq 'CmdletBinding' }).Count -gt 0
            $supportsShouldProcess = $isAdvanced -and ($function.Body.ParamBlock.Attributes.Extent.Text -match 'SupportsShouldProcess')
            $table[$function.Name] = @{ Parameters = $names; Advanced = $isAdvanced; ShouldProcess = $supportsShouldProcess }
        }
        # A script file is itself a command with a param block (e.g. the launcher calls a fix script).
        if ($parsed.Ast.ParamBlock) {
            $table[[System.IO.Path]::GetFileName($file)] = @{
                Parameters = @($parsed.Ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath })
                Advanced = $true; ShouldProcess = ($parsed.Ast.ParamBlock.Attributes.Extent.Text -match 'SupportsShouldProcess')
            }
        }
    }
    $table
}

function Get-ReferenceParameterSet {
    <# All parameter names (with aliases) a reference cmdlet accepts, or $null when it is not a cmdlet there. #>
    param([Parameter(Mandatory)]$Reference, [Parameter(Mandatory)][string]$Name)
    if ($null -eq $script:CmdletIndex -or -not [object]::ReferenceEquals($script:IndexedReference, $Reference)) {
        # Case-insensitive name -> cmdlet entry, aliases included; built once per reference.
        $script:CmdletIndex = @{}
        foreach ($entry in $Reference.cmdlets.PSObject.Properties) { $script:CmdletIndex[$entry.Name] = $entry.Value }
        foreach ($alias in $Reference.commandAliasIndex.PSObject.Properties) {
            if ($script:CmdletIndex.ContainsKey($alias.Value) -and -not $script:CmdletIndex.ContainsKey($alias.Name)) { $script:CmdletIndex[$alias.Name] = $script:CmdletIndex[$alias.Value] }
        }
        $script:IndexedReference = $Reference
    }
    if (-not $script:CmdletIndex.ContainsKey($Name)) { return $null }
    $cmdlet = $script:CmdletIndex[$Name]
    $groups = @{}   # parameter name -> names that select it (itself + aliases)
    $notIn51 = @()
    foreach ($set in $cmdlet.parameterSets) {
        foreach ($parameter in $set.parameters) { $groups[$parameter.name] = @($parameter.name) }
    }
    if ($cmdlet.PSObject.Properties['parameterAliases']) {
        foreach ($alias in $cmdlet.parameterAliases.PSObject.Properties) {
            if ($groups.ContainsKey($alias.Name)) { $groups[$alias.Name] += @($alias.Value) }
        }
    }
    if ($cmdlet.PSObject.Properties['otherDocumentedParameters']) {
        foreach ($other in $cmdlet.otherDocumentedParameters) {
            $groups[$other.name] = @($other.name)
            if ($other.PSObject.Properties['notInWindowsPowerShell51'] -and $other.notInWindowsPowerShell51) { $notIn51 += $other.name }
        }
    }
    if ($cmdlet.CommonParameters) {
        foreach ($common in $Reference.commonParameters.common) { $groups[$common.name] = @($common.name) + @($common.aliases) }
    }
    @{ Name = $cmdlet.name; Groups = $groups; NotIn51 = $notIn51 }
}

function Resolve-ParameterName {
    <# PowerShell's rule: an exact name or alias, else a prefix that selects exactly one parameter. #>
    param([Parameter(Mandatory)][hashtable]$Groups, [Parameter(Mandatory)][string]$Given)
    foreach ($parameter in $Groups.Keys) { foreach ($name in $Groups[$parameter]) { if ($name -ieq $Given) { return @{ Match = $parameter } } } }
    $hits = @($Groups.Keys | Where-Object { $parameter = $_; @($Groups[$parameter] | Where-Object { $_.StartsWith($Given, [System.StringComparison]::OrdinalIgnoreCase) }).Count -gt 0 })
    if ($hits.Count -eq 1) { return @{ Match = $hits[0] } }
    if ($hits.Count -gt 1) { return @{ Ambiguous = $hits } }
    @{}
}

function Get-SyntaxProblem {
    <# Constructs Windows PowerShell 5.1 does not have. #>
    param([Parameter(Mandatory)]$Parsed)
    $ast = $Parsed.Ast
    $lang = 'System.Management.Automation.Language'
    $checks = @(
        @{ Type = "$lang.TernaryExpressionAst"; Why = 'the ?: operator (PowerShell 7)' }
        @{ Type = "$lang.PipelineChainAst"; Why = 'a && / || pipeline chain (PowerShell 7)' }
    )
    foreach ($check in $checks) {
        $type = $check.Type -as [type]
        if ($null -eq $type) { continue }
        foreach ($node in $ast.FindAll({ param($n) $n -is $type }.GetNewClosure(), $true)) {
            "line $($node.Extent.StartLineNumber): $($check.Why)"
        }
    }
    foreach ($token in $Parsed.Tokens) {
        switch ($token.Kind) {
            'QuestionQuestion' { "line $($token.Extent.StartLineNumber): the ?? operator (PowerShell 7)" }
            'QuestionQuestionEquals' { "line $($token.Extent.StartLineNumber): the ??= operator (PowerShell 7)" }
            'QuestionDot' { "line $($token.Extent.StartLineNumber): the ?. operator (PowerShell 7)" }
            'QuestionLBracket' { "line $($token.Extent.StartLineNumber): the ?[ operator (PowerShell 7)" }
            'Clean' { "line $($token.Extent.StartLineNumber): a clean block (PowerShell 7.3)" }
        }
        if ($token.Kind -eq 'StringExpandable' -and $token.Text -match '`u\{') {
            "line $($token.Extent.StartLineNumber): a " + '`u{} escape (PowerShell 6)'
        }
    }
}

function Get-CommandProblem {
    <# Commands and named parameters that are neither in the reference nor defined in the repository. #>
    param([Parameter(Mandatory)]$Parsed, [Parameter(Mandatory)]$Reference, [Parameter(Mandatory)][hashtable]$Functions)
    foreach ($command in $Parsed.Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        if (-not $name) { continue }
        $line = $command.Extent.StartLineNumber
        if ($script:ForbiddenCommands.ContainsKey($name)) { "line ${line}: $($script:ForbiddenCommands[$name])"; continue }
        $leaf = Split-Path -Leaf $name
        $given = @($command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName })
        foreach ($parameter in $given) {
            if ($script:ForbiddenParameters.ContainsKey($parameter)) { "line ${line}: $($script:ForbiddenParameters[$parameter])" }
        }
        if ($script:NativeCommands -contains $name) { continue }
        $groups = $null
        if ($Functions.ContainsKey($name) -or $Functions.ContainsKey($leaf)) {
            $function = if ($Functions.ContainsKey($name)) { $Functions[$name] } else { $Functions[$leaf] }
            $groups = @{}
            foreach ($parameter in $function.Parameters) { $groups[$parameter] = @($parameter) }
            if ($function.Advanced) { foreach ($common in $Reference.commonParameters.common) { $groups[$common.name] = @($common.name) + @($common.aliases) } }
            if ($function.ShouldProcess) { $groups['WhatIf'] = @('WhatIf', 'wi'); $groups['Confirm'] = @('Confirm', 'cf') }
            $notIn51 = @()
        } else {
            $signature = Get-ReferenceParameterSet -Reference $Reference -Name $name
            if ($null -eq $signature) { "line ${line}: '$name' is not a Windows PowerShell 5.1 / Windows Server command in the reference, nor defined in the repository"; continue }
            $groups = $signature.Groups
            $notIn51 = $signature.NotIn51
        }
        foreach ($parameter in $given) {
            $resolved = Resolve-ParameterName -Groups $groups -Given $parameter
            if ($resolved.ContainsKey('Ambiguous')) { "line ${line}: '$name -$parameter' is ambiguous ($($resolved.Ambiguous -join ', '))" }
            elseif (-not $resolved.ContainsKey('Match')) { "line ${line}: '$name' has no parameter -$parameter" }
            elseif ($notIn51 -contains $resolved.Match) { "line ${line}: '$name -$parameter' is not in Windows PowerShell 5.1" }
        }
    }
}

function Get-ScriptCompatibilityProblem {
    <#
    .SYNOPSIS
    Every reason a script would not run on Windows PowerShell 5.1 as shipped: parse errors, 7-only
    syntax, unknown commands or parameters, forbidden commands.
    .OUTPUTS
    System.String[]
    #>
    param(
        [Parameter(Mandatory)][string]$Path,
        [Parameter(Mandatory)]$Reference,
        [Parameter(Mandatory)][hashtable]$Functions
    )
    $parsed = Read-ScriptAst -Path $Path
    foreach ($parseError in @($parsed.Errors)) { if ($parseError) { "line $($parseError.Extent.StartLineNumber): parse error: $($parseError.Message)" } }
    Get-SyntaxProblem -Parsed $parsed
    Get-CommandProblem -Parsed $parsed -Reference $Reference -Functions $Functions
}

function Test-ShippedEncoding {
    <# Windows PowerShell 5.1 reads a BOM-less script as the ANSI code page: ASCII or UTF-8 with BOM only. #>
    param([Parameter(Mandatory)][string]$Path)
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    if ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) { return $true }
    foreach ($byte in $bytes) { if ($byte -gt 0x7F) { return $false } }
    $true
}

Export-ModuleMember -Function Get-ShippedScript, Get-ScriptFunctionTable, Get-ScriptCompatibilityProblem, Test-ShippedEncoding
