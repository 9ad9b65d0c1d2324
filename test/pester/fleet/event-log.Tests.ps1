BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:WriteEvent = Join-Path $script:RepoRoot 'probes/common/Write-RdpHealthEvent.ps1'

    function Invoke-WriteEvent {
        <# Runs the shipped script on a fresh working copy; returns the envelope and the recorded events. #>
        param([string]$Scenario = 'healthy', [int]$EventId = 1003, [string]$EntryType = 'Error', [string]$Message = 'a message')
        $state = Initialize-SimHost -Scenario $Scenario
        try {
            $file = Join-Path $TestDrive "message-$([guid]::NewGuid().ToString('N')).txt"
            [System.IO.File]::WriteAllText($file, $Message, (New-Object System.Text.UTF8Encoding $false))
            $envelope = & $script:WriteEvent -EventId $EventId -EntryType $EntryType -MessageFile $file | ConvertFrom-Json
            $events = @((Get-Content -LiteralPath $state -Raw | ConvertFrom-Json).eventLog | Where-Object { $_ })
            [PSCustomObject]@{ Envelope = $envelope; Events = $events }
        } finally {
            Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Write-RdpHealthEvent' {
    It 'writes one event under the RDP Health source in the Application log' {
        $result = Invoke-WriteEvent -EventId 1003 -EntryType 'Error' -Message 'Certificate is now failing.'
        $result.Envelope.ok | Should -BeTrue
        $result.Envelope.data.eventId | Should -Be 1003
        $result.Events.Count | Should -Be 1
        $result.Events[0].LogName | Should -Be 'Application'
        $result.Events[0].Source | Should -Be 'RDP Health'
        $result.Events[0].EventId | Should -Be 1003
        $result.Events[0].EntryType | Should -Be 'Error'
        $result.Events[0].Message | Should -Be 'Certificate is now failing.'
    }

    It 'passes the message as data: quotes, $(...) and non-ASCII text arrive verbatim and run nothing' {
        $marker = Join-Path $TestDrive 'pwned.txt'
        $message = "It's `"quoted`" `$(Set-Content -LiteralPath '$marker' -Value x); `$env:PATH`r`nsecond line: Zertifikat l$([char]0xE4)uft ab"
        $result = Invoke-WriteEvent -EventId 1002 -EntryType 'Warning' -Message $message
        $result.Envelope.ok | Should -BeTrue
        $result.Events[0].Message | Should -Be $message
        Test-Path -LiteralPath $marker | Should -BeFalse
    }

    It 'rejects an event id outside the documented set before writing anything' {
        { & $script:WriteEvent -EventId 4242 -EntryType 'Error' -MessageFile (Join-Path $TestDrive 'x.txt') } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'rejects an entry type outside the documented set' {
        { & $script:WriteEvent -EventId 1003 -EntryType 'FailureAudit' -MessageFile (Join-Path $TestDrive 'x.txt') } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'reports not-found when the installer did not register the source' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\RDP Health' = $null } }
        $result = Invoke-WriteEvent -Scenario $scenario
        $result.Envelope.ok | Should -BeFalse
        $result.Envelope.error.kind | Should -Be 'not-found'
        $result.Events.Count | Should -Be 0
    }

    It 'reports a failing Write-EventLog as an error envelope' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ faults = @{ 'Write-EventLog' = @{ kind = 'access-denied' } } }
        $result = Invoke-WriteEvent -Scenario $scenario
        $result.Envelope.ok | Should -BeFalse
        $result.Envelope.error.kind | Should -Be 'access-denied'
    }

    It 'appends: a second event keeps the first' {
        $state = Initialize-SimHost -Scenario 'healthy'
        try {
            foreach ($id in 1001, 1010) {
                $file = Join-Path $TestDrive "m$id.txt"
                Set-Content -LiteralPath $file -Value "event $id" -Encoding utf8NoBOM
                $null = & $script:WriteEvent -EventId $id -EntryType 'Information' -MessageFile $file
            }
            $events = @((Get-Content -LiteralPath $state -Raw | ConvertFrom-Json).eventLog)
            $events.EventId | Should -Be @(1001, 1010)
        } finally {
            Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
        }
    }
}
