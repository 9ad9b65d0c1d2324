# Follows: Microsoft Learn Get-WinEvent (-FilterHashtable keys, the NoMatchingEventsFound error) and the EventLogRecord class.
# Event log shadow: Get-WinEvent -FilterHashtable over the scenario's `events` array:
#   "events": [ { "LogName": "System", "ProviderName": "Schannel", "Id": 36870,
#                 "TimeCreated": "now-2d", "Level": 2, "Message": "..." } ]
# Supported filter keys: LogName, ProviderName, Id, Level, StartTime, EndTime (an array value
# matches any of its items; several hashtables match any of them). Newest first unless -Oldest.
# Nothing matches -> the real cmdlet's non-terminating "No events were found" error
# (NoMatchingEventsFound, ObjectNotFound). Fault: 'Get-WinEvent' (e.g. access-denied).

$script:SimEventFilterKeys = @('LogName', 'ProviderName', 'Id', 'Level', 'StartTime', 'EndTime')

function Test-SimEventFilter {
    param([Parameter(Mandatory)]$Event, [Parameter(Mandatory)][hashtable]$Filter)
    foreach ($key in $Filter.Keys) {
        if ($script:SimEventFilterKeys -notcontains $key) {
            throw [System.NotSupportedException]::new("The simulated Get-WinEvent does not support the filter key '$key'.")
        }
        $wanted = @($Filter[$key])
        $match = switch ($key) {
            'LogName' { @($wanted | Where-Object { $Event.LogName -ilike $_ }).Count -gt 0 }
            'ProviderName' { @($wanted | Where-Object { $Event.ProviderName -ilike $_ }).Count -gt 0 }
            'Id' { @($wanted | Where-Object { [int]$_ -eq $Event.Id }).Count -gt 0 }
            'Level' { @($wanted | Where-Object { [int]$_ -eq $Event.Level }).Count -gt 0 }
            'StartTime' { $Event.TimeCreated -ge [datetime]$Filter[$key] }
            'EndTime' { $Event.TimeCreated -le [datetime]$Filter[$key] }
        }
        if (-not $match) { return $false }
    }
    $true
}

function New-SimEventRecord {
    param([Parameter(Mandatory)]$Spec, [int]$RecordId)
    $record = [PSCustomObject][ordered]@{
        Id           = [int]$Spec['Id']
        ProviderName = [string]$Spec['ProviderName']
        LogName      = [string]$Spec['LogName']
        TimeCreated  = ConvertTo-SimDate ([string]$Spec['TimeCreated'])
        Level        = $(if ($Spec.Contains('Level')) { [int]$Spec['Level'] } else { 2 })
        RecordId     = [long]$RecordId
        MachineName  = $env:COMPUTERNAME
        Message      = $(if ($Spec.Contains('Message')) { [string]$Spec['Message'] } else { $null })
    }
    $record.PSObject.TypeNames.Insert(0, 'System.Diagnostics.Eventing.Reader.EventLogRecord')
    $record
}

function Get-WinEvent {
    [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
    param(
        [Parameter(ParameterSetName = 'GetLogSet', Position = 0)][string[]]$LogName,
        [Parameter(ParameterSetName = 'GetProviderSet', Mandatory, Position = 0)][string[]]$ProviderName,
        [Parameter(ParameterSetName = 'HashQuerySet', Mandatory, Position = 0)][hashtable[]]$FilterHashtable,
        [int64]$MaxEvents = -1,
        [switch]$Oldest,
        [switch]$Force,
        [string[]]$ComputerName
    )
    Invoke-SimFault -Command 'Get-WinEvent'
    $filters = switch ($PSCmdlet.ParameterSetName) {
        'HashQuerySet' { $FilterHashtable }
        'GetProviderSet' { @(@{ ProviderName = $ProviderName }) }
        default { @(@{ LogName = $(if ($LogName) { $LogName } else { '*' }) }) }
    }
    $index = 0
    $records = @(foreach ($spec in @(Get-SimSection -Key 'events')) {
            if ($spec -isnot [System.Collections.IDictionary]) { continue }
            $index++
            $record = New-SimEventRecord -Spec $spec -RecordId $index
            foreach ($filter in $filters) { if (Test-SimEventFilter -Event $record -Filter $filter) { $record; break } }
        })
    if ($records.Count -eq 0) {
        $exception = [System.Exception]::new('No events were found that match the specified selection criteria.')
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'NoMatchingEventsFound', 'ObjectNotFound', $null))
        return
    }
    $sorted = @($records | Sort-Object -Property TimeCreated -Descending:(-not $Oldest))
    if ($MaxEvents -gt 0) { $sorted = @($sorted | Select-Object -First $MaxEvents) }
    $sorted
}
