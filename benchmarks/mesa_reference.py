"""A straightforward object-per-agent implementation of the policy lab's core monthly rules on Mesa, for the
benchmark only (``pip install -e '.[bench]'``). One ``Client`` agent per person, one ``Caseworker`` agent per
caseworker, stepped monthly with Python method calls — the usual ABM style.

Rules implemented (numbered as in docs/lab.md): M2 first-time inflow, M6 relapse, M8 trajectory end and success,
M9 work / other exits with scarring, motivation, contact lift, lock-in, B2 time budget, B3 attention weighted by
creaming, B5 trajectory offers mixing the rule and the caseworker's own preference by freedom. Not implemented
here (so the Mesa model does strictly less work than Regie's): classification, exemptions, sanctions, budgets,
event logging, policy-engine calls. The comparison is therefore conservative for Regie.
"""

from __future__ import annotations

import math

import mesa

HW = {0: 0.072, 1: 0.030, 2: 0.0038}
HO = {0: 0.055, 1: 0.021, 2: 0.0055}
TYPE_SHARES = (0.37, 0.33, 0.30)


class Client(mesa.Agent):
    def __init__(self, model, typ, kunnen, willen, age, stock):
        super().__init__(model)
        self.typ, self.kunnen, self.willen, self.age = typ, kunnen, willen, age
        self.on_benefit = True
        self.dur = 0 if not stock else int(model.random.expovariate(HW[typ] + HO[typ]))
        self.cum = self.dur
        self.traj_left = 0
        self.last_traj_end = -999
        self.exit_month = 0
        self.exit_work = False
        self.seen = False
        self.caseworker = model.random.choice(model.caseworkers)
        self.caseworker.clients.append(self)

    def score(self):
        return (self.kunnen + 0.5 * (self.willen - 0.55) - 0.01 * (self.age - 40) - 0.45) / 0.25

    def step(self):
        m = self.model
        if not self.on_benefit:
            h = (0.0195 if self.exit_work else 0.030) * 0.5 ** ((m.t - self.exit_month) / 12)
            if m.random.random() < h:  # M6 relapse
                self.on_benefit, self.dur = True, 0
                self.caseworker = m.random.choice(m.caseworkers)
                self.caseworker.clients.append(self)
            return
        if self.traj_left > 0:  # M8
            self.traj_left -= 1
            if self.traj_left == 0:
                self.last_traj_end = m.t
                p = 0.08 * self.kunnen / 0.45 * (0.5 + self.willen) / 1.07
                if m.random.random() < p:
                    self.leave(True)
                    return
                self.willen = max(0.0, self.willen - 0.08)
        hw = HW[self.typ] * math.exp(-0.12 * self.cum / 12) * (0.5 + self.willen) / 1.07 * \
            (1.15 if self.seen else 1.0) * (0.4 if self.traj_left > 0 else 1.0) * (0.6 if self.age >= 55 else 1.0)
        ho = HO[self.typ]
        u = m.random.random()
        if u < hw:
            self.leave(True)
        elif u < hw + ho or self.age >= 67:
            self.leave(False)
        else:
            self.dur += 1
            self.cum += 1
        self.age += 1 / 12

    def leave(self, work):
        self.on_benefit = False
        self.exit_month = self.model.t
        self.exit_work = work
        self.traj_left = 0
        self.caseworker.clients.remove(self)


class Caseworker(mesa.Agent):
    def __init__(self, model, freedom, creaming):
        super().__init__(model)
        self.freedom, self.creaming = freedom, creaming
        self.clients: list[Client] = []

    def step(self):  # B2 time budget, B3 attention, B5 offers
        m = self.model
        cap = 120 * 0.5 / 1.0
        ws = [math.exp(max(-6, min(6, self.freedom * self.creaming * c.score()))) for c in self.clients]
        total = sum(ws) or 1.0
        own_w = [math.exp(max(-6, min(6, self.creaming * c.score()))) for c in self.clients]
        own_total = sum(own_w) or 1.0
        n = len(self.clients)
        for c, w, ow in zip(self.clients, ws, own_w):
            c.seen = m.random.random() < min(1.0, cap * w / total)
            if c.seen and c.traj_left == 0 and m.t - c.last_traj_end >= 6 and c.dur >= 1:
                own = 0.05 * ow / own_total * n
                p = (1 - self.freedom) * 0.05 + self.freedom * own
                if m.random.random() < p:
                    c.traj_left = 6


class LabModel(mesa.Model):
    def __init__(self, clients=40_000, caseworkers=300, seed=1, inflow_per_year=0.185, freedom=0.7, creaming=0.15):
        super().__init__(seed=seed)
        self.t = 0
        self.inflow = inflow_per_year * clients / 12
        self.caseworkers = [Caseworker(self, freedom, creaming * self.random.gammavariate(4, 0.25)) for _ in range(caseworkers)]
        for _ in range(clients):
            self._new_client(stock=True)

    def _new_client(self, stock=False):
        r = self.random.random()
        typ = 0 if r < TYPE_SHARES[0] else (1 if r < TYPE_SHARES[0] + TYPE_SHARES[1] else 2)
        Client(self, typ, self.random.betavariate(*((6, 3), (4, 4), (2, 5))[typ]), self.random.betavariate(4, 3),
               self.random.uniform(18, 64), stock)

    def step(self):
        # M2 inflow (Poisson by inversion)
        k, p, L = 0, 1.0, math.exp(-self.inflow) if self.inflow < 700 else 0.0
        if L:
            while True:
                p *= self.random.random()
                if p < L:
                    break
                k += 1
        else:
            k = round(self.inflow)
        for _ in range(k):
            self._new_client()
        self.agents_by_type[Caseworker].do("step")
        self.agents_by_type[Client].do("step")
        self.t += 1

    def stock(self):
        return sum(1 for c in self.agents_by_type[Client] if c.on_benefit)


def run(clients=40_000, caseworkers=300, months=120, seed=1) -> int:
    m = LabModel(clients, caseworkers, seed)
    for _ in range(months):
        m.step()
    return m.stock()
