"""The analytics page: titles, the metric dictionary ("?" beside each figure), empty states."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

_PEOPLE_CLOCK_PT = ("do momento em que a conversa chegou às pessoas (a primeira transferência da IA, "
                    "o primeiro assumir, atribuir ou transferir; a criação quando nenhuma IA participou) "
                    "até a primeira resposta de uma pessoa ao cliente (notas internas não contam)")
_PEOPLE_CLOCK_EN = ("from the moment the conversation reached people (the AI's first handoff, the "
                    "first take-over, assignment or transfer; its creation when no AI took part) to "
                    "the first reply a person sent the customer (private notes do not count)")
_AI_ALONE_PT = ("resolvida com resposta da IA, sem nenhuma mensagem de pessoa, nunca reaberta, e sem "
                "o cliente voltar a escrever no mesmo canal em até 24 horas")
_AI_ALONE_EN = ("resolved with the AI answering, no message from a person, never reopened, and the "
                "customer not writing again on that channel within 24 hours")

CATALOG: Catalog = {
    "analytics.title": {"pt-BR": "Relatórios", "en": "Analytics"},
    "analytics.subtitle": {
        "pt-BR": "Atendimento, IA e vendas, com a definição de cada número.",
        "en": "Service, AI and sales, with how each number is computed.",
    },
    "analytics.empty_title": {"pt-BR": "Ainda não há conversas neste período",
                              "en": "No conversations in this period yet"},
    "analytics.empty_body": {
        "pt-BR": "Assim que clientes escreverem pelos seus canais, os gráficos mostram aqui o volume, quanto a IA resolveu sozinha, os tempos de resposta e o funil de leads. Experimente também um período maior.",
        "en": "As soon as customers write through your channels, the charts show volume, how much the AI solved alone, response times and the lead funnel here. You can also try a longer period.",
    },
    "analytics.own_only": {
        "pt-BR": "Você vê os números das conversas atribuídas a você.",
        "en": "You see the figures of the conversations assigned to you.",
    },
    "analytics.period_text": {"pt-BR": "{first} a {last} · fuso {zone}",
                              "en": "{first} to {last} · time zone {zone}"},
    "analytics.previous": {"pt-BR": "Período anterior: {value}", "en": "Previous period: {value}"},
    "analytics.how_computed": {"pt-BR": "Como é calculado", "en": "How it is computed"},
    "analytics.download_csv": {"pt-BR": "Baixar CSV", "en": "Download CSV"},
    "analytics.download_conversations": {"pt-BR": "CSV por conversa",
                                         "en": "CSV per conversation"},
    "analytics.no_values": {"pt-BR": "sem valores no período", "en": "no values in the period"},
    "analytics.stats": {"pt-BR": "mediana {median} · p90 {p90} · {count} conversas",
                        "en": "median {median} · p90 {p90} · {count} conversations"},
    "analytics.budget": {
        "pt-BR": "Neste mês: US$ {spent} de US$ {budget} do orçamento ({share} %).",
        "en": "This month: US$ {spent} of the US$ {budget} budget ({share} %).",
    },
    "analytics.budget_none": {
        "pt-BR": "Neste mês: US$ {spent}. Nenhum orçamento mensal definido.",
        "en": "This month: US$ {spent}. No monthly budget set.",
    },
    # filters
    "analytics.filter.period": {"pt-BR": "Período", "en": "Period"},
    "analytics.filter.first": {"pt-BR": "De", "en": "From"},
    "analytics.filter.last": {"pt-BR": "Até", "en": "To"},
    "analytics.filter.channel": {"pt-BR": "Canal", "en": "Channel"},
    "analytics.filter.agent": {"pt-BR": "Agente de IA", "en": "AI agent"},
    "analytics.filter.team": {"pt-BR": "Equipe", "en": "Team"},
    "analytics.filter.consultant": {"pt-BR": "Consultor", "en": "Consultant"},
    "analytics.filter.hours_only": {"pt-BR": "Só tempos iniciados no horário comercial",
                                    "en": "Only times that started in business hours"},
    "analytics.filter_all": {"pt-BR": "Todos", "en": "All"},
    "analytics.period.today": {"pt-BR": "Hoje", "en": "Today"},
    "analytics.period.7d": {"pt-BR": "Últimos 7 dias", "en": "Last 7 days"},
    "analytics.period.30d": {"pt-BR": "Últimos 30 dias", "en": "Last 30 days"},
    "analytics.period.month": {"pt-BR": "Este mês", "en": "This month"},
    "analytics.period.custom": {"pt-BR": "Personalizado", "en": "Custom"},
    # sections
    "analytics.section.volume": {"pt-BR": "Volume", "en": "Volume"},
    "analytics.section.ai": {"pt-BR": "IA", "en": "AI"},
    "analytics.section.time": {"pt-BR": "Tempos", "en": "Times"},
    "analytics.section.people": {"pt-BR": "Equipe", "en": "Team"},
    "analytics.section.sales": {"pt-BR": "Vendas", "en": "Sales"},
    # headline cards and their definitions
    "analytics.card.conversations": {"pt-BR": "Conversas novas", "en": "New conversations"},
    "analytics.card.resolved": {"pt-BR": "Resolvidas", "en": "Resolved"},
    "analytics.card.contacts": {"pt-BR": "Clientes únicos", "en": "Unique customers"},
    "analytics.card.ai_resolved": {"pt-BR": "Resolvidas só pela IA", "en": "Resolved by the AI alone"},
    "analytics.card.handoff_rate": {"pt-BR": "Transferidas a pessoas", "en": "Handed to people"},
    "analytics.card.first_response": {"pt-BR": "1ª resposta humana (mediana)",
                                      "en": "First human reply (median)"},
    "analytics.card.resolution": {"pt-BR": "Resolução (mediana)", "en": "Resolution (median)"},
    "analytics.card.ai_cost": {"pt-BR": "Custo de IA", "en": "AI cost"},
    "analytics.help.card.conversations": {
        "pt-BR": "Conversas iniciadas no período (cada conversa conta uma vez), comparadas ao período anterior de mesma duração.",
        "en": "Conversations started in the period (each counts once), against the previous period of the same length.",
    },
    "analytics.help.card.resolved": {
        "pt-BR": "Conversas cuja resolução final caiu no período; uma conversa resolvida duas vezes conta uma.",
        "en": "Conversations whose final resolution fell in the period; a conversation resolved twice counts once.",
    },
    "analytics.help.card.contacts": {
        "pt-BR": "Clientes diferentes que iniciaram conversas no período.",
        "en": "Different customers who started conversations in the period.",
    },
    "analytics.help.card.ai_resolved": {
        "pt-BR": f"Das conversas resolvidas no período, a parte {_AI_ALONE_PT}.",
        "en": f"Of the conversations resolved in the period, the share {_AI_ALONE_EN}.",
    },
    "analytics.help.card.handoff_rate": {
        "pt-BR": "Das conversas iniciadas com um agente de IA no período, a parte que chegou a pessoas.",
        "en": "Of the conversations started with an AI agent in the period, the share that reached people.",
    },
    "analytics.help.card.first_response": {
        "pt-BR": f"Mediana, nas conversas iniciadas no período, do tempo {_PEOPLE_CLOCK_PT}.",
        "en": f"Median, over conversations started in the period, of the time {_PEOPLE_CLOCK_EN}.",
    },
    "analytics.help.card.resolution": {
        "pt-BR": "Mediana, nas conversas resolvidas no período, do tempo entre o início (ou a última reabertura) e a resolução.",
        "en": "Median, over conversations resolved in the period, of the time from the start (or the latest reopening) to resolution.",
    },
    "analytics.help.card.ai_cost": {
        "pt-BR": "Soma do custo das chamadas ao modelo de IA no período, em dólares, como o provedor cobra.",
        "en": "Sum of the cost of the AI model calls in the period, in dollars, as the provider bills.",
    },
    # charts: titles, definitions, what appears when empty
    "analytics.chart.volume": {"pt-BR": "Conversas por canal", "en": "Conversations by channel"},
    "analytics.help.volume": {
        "pt-BR": "Barras: conversas novas por canal, pelo dia (ou hora) de início no fuso da organização. Linhas: conversas resolvidas pela hora da resolução final e reabertas pela última reabertura. Cada conversa conta uma vez por linha.",
        "en": "Bars: new conversations by channel, by the day (or hour) they started in the organisation's time zone. Lines: conversations resolved, by the final resolution, and reopened, by the latest reopening. Each conversation counts once per line.",
    },
    "analytics.empty.volume": {
        "pt-BR": "As conversas aparecem aqui assim que o primeiro cliente escrever no período.",
        "en": "Conversations appear here as soon as the first customer writes in the period.",
    },
    "analytics.chart.contacts": {"pt-BR": "Clientes únicos", "en": "Unique customers"},
    "analytics.help.contacts": {
        "pt-BR": "Clientes diferentes que iniciaram conversas em cada dia (ou hora).",
        "en": "Different customers who started conversations on each day (or hour).",
    },
    "analytics.empty.contacts": {
        "pt-BR": "Os clientes aparecem aqui quando iniciarem conversas no período.",
        "en": "Customers appear here when they start conversations in the period.",
    },
    "analytics.chart.ai_share": {"pt-BR": "Resolvidas só pela IA", "en": "Resolved by the AI alone"},
    "analytics.help.ai_share": {
        "pt-BR": f"Por dia de resolução, a parte das conversas resolvidas {_AI_ALONE_PT}. Resoluções das últimas 24 horas ainda podem deixar de contar.",
        "en": f"By day of resolution, the share of resolved conversations {_AI_ALONE_EN}. Resolutions of the last 24 hours may still stop counting.",
    },
    "analytics.empty.ai_share": {
        "pt-BR": "Aparece quando houver conversas resolvidas no período.",
        "en": "Appears once conversations are resolved in the period.",
    },
    "analytics.chart.handoffs": {"pt-BR": "Transferências por motivo", "en": "Handoffs by reason"},
    "analytics.help.handoffs": {
        "pt-BR": "Das conversas iniciadas com um agente de IA no período, a parte (%) que a IA transferiu a pessoas, por motivo. Cada conversa conta uma vez: se foi transferida por motivos diferentes, conta no primeiro deles em ordem alfabética.",
        "en": "Of the conversations started with an AI agent in the period, the share (%) the AI handed to people, by reason. Each conversation counts once: when handed over for several reasons, under the first of them in alphabetical order.",
    },
    "analytics.empty.handoffs": {
        "pt-BR": "Aparece quando a IA transferir alguma conversa a uma pessoa no período.",
        "en": "Appears when the AI hands a conversation to a person in the period.",
    },
    "analytics.chart.ai_answers": {"pt-BR": "Respostas da IA", "en": "AI answers"},
    "analytics.help.ai_answers": {
        "pt-BR": "Mensagens enviadas pela IA aos clientes em cada dia (ou hora).",
        "en": "Messages the AI sent to customers on each day (or hour).",
    },
    "analytics.empty.ai_answers": {
        "pt-BR": "Aparece quando a IA responder clientes no período.",
        "en": "Appears when the AI answers customers in the period.",
    },
    "analytics.chart.ai_cost": {"pt-BR": "Custo de IA e orçamento", "en": "AI cost and budget"},
    "analytics.help.ai_cost": {
        "pt-BR": "Custo das chamadas ao modelo de IA por dia, em dólares; abaixo, o gasto do mês corrente (UTC) contra o orçamento mensal, que pausa a IA quando acaba.",
        "en": "Cost of the AI model calls per day, in dollars; below, this month's spend (UTC) against the monthly budget, which pauses the AI when spent.",
    },
    "analytics.empty.ai_cost": {
        "pt-BR": "Aparece quando a IA usar um modelo pago no período (a IA offline não tem custo).",
        "en": "Appears when the AI uses a paid model in the period (the offline AI costs nothing).",
    },
    "analytics.chart.whatsapp": {"pt-BR": "WhatsApp: mensagens cobradas por categoria",
                                 "en": "WhatsApp: billed messages by category"},
    "analytics.help.whatsapp": {
        "pt-BR": "Mensagens do período que a Meta marcou como cobráveis, pela categoria de preço informada nos webhooks de status (marketing, utility, authentication, service...). O valor em reais depende da tabela da Meta para o seu país.",
        "en": "Messages of the period Meta marked billable, by the pricing category its status webhooks report (marketing, utility, authentication, service...). The amount depends on Meta's rate card for your country.",
    },
    "analytics.empty.whatsapp": {
        "pt-BR": "Aparece quando a Meta informar a cobrança de mensagens de um número do WhatsApp no período.",
        "en": "Appears when Meta reports billing for messages of a WhatsApp number in the period.",
    },
    "analytics.chart.first_response": {"pt-BR": "Tempo da primeira resposta",
                                       "en": "First response time"},
    "analytics.help.first_response": {
        "pt-BR": f"Conversas iniciadas no período, por faixa de tempo. Pessoas: {_PEOPLE_CLOCK_PT}. IA: da primeira mensagem do cliente à primeira resposta da IA. Mediana e percentil 90 (90 % responderam até esse tempo), nunca só médias.",
        "en": f"Conversations started in the period, by time band. People: {_PEOPLE_CLOCK_EN}. AI: from the customer's first message to the AI's first reply. Median and 90th percentile (90 % were answered within it), never averages alone.",
    },
    "analytics.empty.first_response": {
        "pt-BR": "Aparece quando a IA ou uma pessoa responder a primeira vez numa conversa do período.",
        "en": "Appears when the AI or a person first replies in a conversation of the period.",
    },
    "analytics.chart.resolution": {"pt-BR": "Tempo de resolução", "en": "Resolution time"},
    "analytics.help.resolution": {
        "pt-BR": f"Conversas resolvidas no período, do início (ou da última reabertura) à resolução. IA: as {_AI_ALONE_PT}; pessoas: as demais.",
        "en": f"Conversations resolved in the period, from the start (or the latest reopening) to resolution. AI: those {_AI_ALONE_EN}; people: the others.",
    },
    "analytics.empty.resolution": {
        "pt-BR": "Aparece quando houver conversas resolvidas no período.",
        "en": "Appears once conversations are resolved in the period.",
    },
    "analytics.chart.heatmap": {"pt-BR": "Mensagens de clientes por dia e hora",
                                "en": "Customer messages by weekday and hour"},
    "analytics.help.heatmap": {
        "pt-BR": "Mensagens recebidas de clientes no período, por dia da semana e hora no fuso da organização: mostra quando a equipe é mais necessária.",
        "en": "Messages received from customers in the period, by weekday and hour in the organisation's time zone: shows when the team is needed most.",
    },
    "analytics.empty.heatmap": {
        "pt-BR": "Aparece quando clientes escreverem no período.",
        "en": "Appears when customers write in the period.",
    },
    "analytics.chart.leaderboard": {"pt-BR": "Consultores", "en": "Consultants"},
    "analytics.help.leaderboard": {
        "pt-BR": f"Conversas iniciadas ou resolvidas no período, por responsável. Primeira resposta: {_PEOPLE_CLOCK_PT}. Resolução: do início (ou reabertura) à resolução. Mediana e p90. CSAT quando a organização coleta avaliações.",
        "en": f"Conversations started or resolved in the period, by assignee. First response: {_PEOPLE_CLOCK_EN}. Resolution: from the start (or reopening) to resolution. Median and p90. CSAT when the organisation collects ratings.",
    },
    "analytics.empty.leaderboard": {
        "pt-BR": "Aparece quando consultores atenderem conversas no período.",
        "en": "Appears when consultants handle conversations in the period.",
    },
    "analytics.chart.funnel": {"pt-BR": "Funil de leads", "en": "Lead funnel"},
    "analytics.help.funnel": {
        "pt-BR": "Leads criados no período, pela etapa atual. Um lead “alcançou” uma etapa se está nela ou numa etapa seguinte do caminho até “ganho”; a conversão é essa parte de todos os leads do período. Perdidos contam à parte. Valor: soma do valor dos leads de cada etapa.",
        "en": "Leads created in the period, by their current stage. A lead “reached” a stage when it is at it or a later stage of the way to “won”; conversion is that share of all the period's leads. Lost ones count apart. Value: the sum of the leads' value at each stage.",
    },
    "analytics.empty.funnel": {
        "pt-BR": "Aparece quando a IA ou a equipe criar leads no período.",
        "en": "Appears when the AI or the team creates leads in the period.",
    },
    # refusals of the analytics filters
    "error.analytics_period": {"pt-BR": "Escolha um período da lista.", "en": "Choose a period from the list."},
    "error.analytics_period_range": {
        "pt-BR": "Informe as duas datas do período, a primeira antes da última.",
        "en": "Enter both dates of the period, the first before the last.",
    },
    "error.analytics_period_too_long": {"pt-BR": "O período pode ter no máximo {max} dias.",
                              "en": "The period can be at most {max} days long."},
    # series and table columns
    "analytics.series.resolved": {"pt-BR": "Resolvidas", "en": "Resolved"},
    "analytics.series.reopened": {"pt-BR": "Reabertas", "en": "Reopened"},
    "analytics.series.contacts": {"pt-BR": "Clientes", "en": "Customers"},
    "analytics.series.ai_share": {"pt-BR": "% só pela IA", "en": "% by the AI alone"},
    "analytics.series.handoff_rate": {"pt-BR": "% das conversas", "en": "% of conversations"},
    "analytics.series.ai_answers": {"pt-BR": "Respostas", "en": "Answers"},
    "analytics.series.ai_cost": {"pt-BR": "US$", "en": "US$"},
    "analytics.series.billable": {"pt-BR": "Mensagens cobradas", "en": "Billed messages"},
    "analytics.series.people": {"pt-BR": "Pessoas", "en": "People"},
    "analytics.series.ai": {"pt-BR": "IA", "en": "AI"},
    "analytics.weekday.0": {"pt-BR": "seg", "en": "Mon"},
    "analytics.weekday.1": {"pt-BR": "ter", "en": "Tue"},
    "analytics.weekday.2": {"pt-BR": "qua", "en": "Wed"},
    "analytics.weekday.3": {"pt-BR": "qui", "en": "Thu"},
    "analytics.weekday.4": {"pt-BR": "sex", "en": "Fri"},
    "analytics.weekday.5": {"pt-BR": "sáb", "en": "Sat"},
    "analytics.weekday.6": {"pt-BR": "dom", "en": "Sun"},
    "analytics.col.consultant": {"pt-BR": "Consultor", "en": "Consultant"},
    "analytics.col.handled": {"pt-BR": "Conversas", "en": "Conversations"},
    "analytics.col.first_median": {"pt-BR": "1ª resposta (mediana)", "en": "First reply (median)"},
    "analytics.col.first_p90": {"pt-BR": "1ª resposta (p90)", "en": "First reply (p90)"},
    "analytics.col.resolution_median": {"pt-BR": "Resolução (mediana)", "en": "Resolution (median)"},
    "analytics.col.resolution_p90": {"pt-BR": "Resolução (p90)", "en": "Resolution (p90)"},
    "analytics.col.csat": {"pt-BR": "CSAT", "en": "CSAT"},
    "analytics.col.stage": {"pt-BR": "Etapa", "en": "Stage"},
    "analytics.col.leads": {"pt-BR": "Leads", "en": "Leads"},
    "analytics.col.conversion": {"pt-BR": "Alcançaram", "en": "Reached"},
    "analytics.col.value": {"pt-BR": "Valor", "en": "Value"},
}
